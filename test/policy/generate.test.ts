import { describe, expect, it } from 'vitest';
import { renderPolicy } from '../../src/policy/document.js';
import { covers, generalize, removeCovered, resourceRegex } from '../../src/policy/generalize.js';
import { scopeOf } from '../../src/profile/scope.js';
import { buildDocument, generatePolicies } from '../../src/policy/generate.js';
import { escapeResourceName } from '../../src/profile/escape.js';
import { CORPUS, profilePaths } from '../support/fixtures.js';

describe('generate', () => {
  it('gives byte-identical documents from the same input, whatever the file order', async () => {
    const { usage: a } = await profilePaths([CORPUS]);
    const { FileSource } = await import('../../src/ingest/files.js');
    const files: string[] = [];
    for await (const p of new FileSource({ paths: [CORPUS] }).paths(() => {})) files.push(p);
    const { usage: b } = await profilePaths(files.reverse());
    const render = (u: typeof a): string[] => generatePolicies(u).map((p) => renderPolicy(p.document));
    expect(render(b)).toEqual(render(a));
    expect(render(a)).toEqual(render(a));
  });

  it('writes canonical JSON: IAM key order, 2 spaces, trailing newline', () => {
    const text = renderPolicy(buildDocument(new Map([['s3:GetObject', ['arn:aws:s3:::b/k']]])));
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text).Statement[0])).toEqual(['Sid', 'Effect', 'Action', 'Resource']);
    expect(text).toContain('\n  "Statement": [\n    {\n      "Sid"');
  });

  it('groups actions of one service that share resources, with Sids that depend only on content', () => {
    const doc = buildDocument(
      new Map([
        ['sqs:SendMessage', ['arn:aws:sqs:eu-west-1:123456789012:q']],
        ['sqs:DeleteMessage', ['arn:aws:sqs:eu-west-1:123456789012:q']],
        ['sqs:GetQueueAttributes', ['arn:aws:sqs:eu-west-1:123456789012:other']],
      ]),
    );
    expect(doc.Statement.map((s) => s.Action)).toEqual([['sqs:DeleteMessage', 'sqs:SendMessage'], 'sqs:GetQueueAttributes']);
    const again = buildDocument(new Map([['sqs:DeleteMessage', ['arn:aws:sqs:eu-west-1:123456789012:q']], ['sqs:SendMessage', ['arn:aws:sqs:eu-west-1:123456789012:q']]]));
    expect(again.Statement[0]?.Sid).toBe(doc.Statement[0]?.Sid);
  });
});

describe('generalization', () => {
  const keys = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket/${prefix}/${String(i).padStart(3, '0')}.json`);

  it('keeps exact ARNs up to the threshold and folds past it to the longest common path', () => {
    expect(generalize('s3:GetObject', keys(20, 'uploads'), 20).resources).toHaveLength(20);
    const g = generalize('s3:GetObject', keys(21, 'uploads'), 20);
    expect(g.resources).toEqual(['arn:aws:s3:::bucket/uploads/*']);
    expect(g.folds).toEqual([{ action: 's3:GetObject', folded: 21, into: 'arn:aws:s3:::bucket/uploads/*' }]);
  });

  it('never folds wider than the bucket, and folds buckets apart', () => {
    const mixed = [...keys(15, 'a'), ...keys(15, 'b'), 'arn:aws:s3:::other/x.json'];
    expect(generalize('s3:GetObject', mixed, 20).resources).toEqual(['arn:aws:s3:::bucket/*', 'arn:aws:s3:::other/x.json']);
    expect(scopeOf('arn:aws:s3:::bucket/a/b')).toBe('arn:aws:s3:::bucket/');
    expect(scopeOf('arn:aws:dynamodb:eu-west-1:123456789012:table/t/index/i')).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/t/');
  });

  it('escapes literal wildcard characters so a policy grants exactly the named resource', () => {
    expect(escapeResourceName('reports/*?$x')).toBe('reports/${*}${?}${$}x');
    const literal = `arn:aws:s3:::b/${escapeResourceName('a*b')}`;
    expect(resourceRegex(literal).test('arn:aws:s3:::b/a*b')).toBe(true);
    expect(resourceRegex(literal).test('arn:aws:s3:::b/aXXb')).toBe(false);
    expect(covers('arn:aws:s3:::b/*', literal)).toBe(true);
  });

  it('drops resources a pattern in the same list already grants', () => {
    expect(removeCovered(['arn:aws:s3:::b/k/1', 'arn:aws:s3:::b/k/*', 'arn:aws:s3:::c/1'])).toEqual(['arn:aws:s3:::b/k/*', 'arn:aws:s3:::c/1']);
    expect(removeCovered(['*', 'arn:aws:s3:::b/k'])).toEqual(['*']);
  });
});
