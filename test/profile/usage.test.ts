import { describe, expect, it } from 'vitest';
import { FileSource } from '../../src/ingest/files.js';
import { mergeUsage, parseUsage, serializeUsage, type Usage } from '../../src/profile/usage.js';
import { CORPUS, profilePaths } from '../support/fixtures.js';

async function allFiles(): Promise<string[]> {
  const out: string[] = [];
  for await (const p of new FileSource({ paths: [CORPUS] }).paths(() => {})) out.push(p);
  return out;
}

describe('Usage', () => {
  it('profiling the corpus in two halves and merging gives the same Usage as profiling it whole', async () => {
    const files = await allFiles();
    const half = Math.floor(files.length / 2);
    const [whole, a, b] = await Promise.all([profilePaths(files), profilePaths(files.slice(0, half)), profilePaths(files.slice(half))]);
    expect(serializeUsage(mergeUsage(a.usage, b.usage))).toBe(serializeUsage(whole.usage));
    expect(serializeUsage(mergeUsage(b.usage, a.usage))).toBe(serializeUsage(whole.usage));
  });

  it('merge is associative over three shards', async () => {
    const files = await allFiles();
    const third = Math.floor(files.length / 3);
    const [x, y, z] = (await Promise.all([profilePaths(files.slice(0, third)), profilePaths(files.slice(third, 2 * third)), profilePaths(files.slice(2 * third))])).map((r) => r.usage) as [Usage, Usage, Usage];
    expect(serializeUsage(mergeUsage(mergeUsage(x, y), z))).toBe(serializeUsage(mergeUsage(x, mergeUsage(y, z))));
  });

  it('round-trips through its file form and refuses other JSON with the file named', async () => {
    const { usage } = await profilePaths([CORPUS]);
    const text = serializeUsage(usage);
    expect(serializeUsage(parseUsage(text, 'u.json'))).toBe(text);
    expect(() => parseUsage('{"Records":[]}', 'x.json')).toThrow(/x.json|not an iam-tailor usage file/);
    expect(() => parseUsage(text.replace('"schemaVersion": 1', '"schemaVersion": 99'), 'u.json')).toThrow(/version 99/);
  });

  it('keeps denied attempts and unmapped events apart from what was allowed', async () => {
    const { usage } = await profilePaths([CORPUS]);
    const withDenied = Object.values(usage.principals).filter((p) => Object.keys(p.denied).length > 0);
    expect(withDenied.length).toBeGreaterThan(0);
    const unmapped = Object.values(usage.principals).flatMap((p) => Object.keys(p.unmapped));
    expect(unmapped).toContain('quantum.amazonaws.com:DescribeQuantumWidgets');
    for (const p of Object.values(usage.principals)) expect(Object.keys(p.actions).some((a) => a.startsWith('quantum:'))).toBe(false);
  });
});

describe('scopes', () => {
  it('names the part of an ARN a fold may not cut into', async () => {
    const { scopeOf } = await import('../../src/profile/scope.js');
    expect(scopeOf('arn:aws:s3:::bucket/a/b.json')).toBe('arn:aws:s3:::bucket/');
    expect(scopeOf('arn:aws:s3:::bucket')).toBe('arn:aws:s3:::');
    expect(scopeOf('arn:aws:dynamodb:eu-west-1:123456789012:table/t/index/i')).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/t/');
    expect(scopeOf('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:2026/x')).toBe('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:');
    expect(scopeOf('arn:aws:sqs:eu-west-1:123456789012:q')).toBe('arn:aws:sqs:eu-west-1:123456789012:');
    expect(scopeOf('*')).toBe('*');
  });
});

describe('resource cap', () => {
  it('folds a scope past RESOURCE_CAP into its common prefix, and merging shards folds the same way', async () => {
    const { emptyPrincipal, observe, once, RESOURCE_CAP } = await import('../../src/profile/usage.js');
    const keys = Array.from({ length: RESOURCE_CAP + 40 }, (_, i) => `arn:aws:s3:::b/in/2026/${String(i).padStart(4, '0')}.json`);
    keys.push('arn:aws:s3:::other/x');
    const events = keys.map((k, i) => [k, `2026-10-01T00:00:${String(i % 60).padStart(2, '0')}Z`, `fn-${i % 3}`] as const);
    const build = (subset: typeof events): Usage => {
      const u = emptyUsageFor();
      const p = emptyPrincipal('arn:aws:iam::123456789012:role/r');
      u.principals['arn:aws:iam::123456789012:role/r'] = p;
      for (const [k, t, s] of subset) observe(p.actions, 's3:GetObject', k, once(t), s);
      return u;
    };
    const whole = build(events);
    const resources = Object.keys(whole.principals['arn:aws:iam::123456789012:role/r']?.actions['s3:GetObject'] ?? {});
    expect(resources).toEqual(['arn:aws:s3:::b/in/2026/*', 'arn:aws:s3:::other/x']);
    const folded = whole.principals['arn:aws:iam::123456789012:role/r']?.actions['s3:GetObject']?.['arn:aws:s3:::b/in/2026/*'];
    expect(folded).toMatchObject({ count: RESOURCE_CAP + 40, folded: true, sessions: ['fn-0', 'fn-1', 'fn-2'] });
    for (const cut of [10, RESOURCE_CAP / 2, RESOURCE_CAP + 5]) {
      const merged = mergeUsage(build(events.slice(0, cut)), build(events.slice(cut)));
      expect(serializeUsage(merged), `cut at ${cut}`).toBe(serializeUsage(whole));
    }
  });
});

function emptyUsageFor(): Usage {
  return { schema: 'iam-tailor/usage', schemaVersion: 1, window: null, coverage: { sources: [], dataEventSources: [], managementEvents: false }, input: { files: 0, records: 0, skipped: {}, problems: 0, duplicates: 0 }, principals: {}, files: [] };
}
