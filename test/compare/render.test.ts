import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mdFence, mdText } from '../../src/compare/markdown.js';
import { renderJson } from '../../src/compare/render-json.js';
import { renderMarkdown } from '../../src/compare/render-markdown.js';
import { renderText } from '../../src/compare/render-text.js';
import type { Comparison } from '../../src/compare/report.js';
import { sanitizeForTerminal } from '../../src/cli/terminal.js';
import { sampleComparisons } from '../support/compare.js';

const HOSTILE = 'evil`|<details><summary>x</summary>](javascript:alert(1))\n# heading\r\n| a | b |*bold*_';

function hostile(c: Comparison): Comparison {
  return {
    ...c,
    role: `arn:aws:iam::123456789012:role/${HOSTILE}`,
    name: HOSTILE,
    actions: [...c.actions, { action: 's3:GetObject', class: 'used', reason: null, before: ['*'], after: [`arn:aws:s3:::bucket/${HOSTILE}`] }],
    notes: [HOSTILE],
  };
}

describe('markdown output', () => {
  it('escapes every markdown and HTML construct in event values', () => {
    const t = mdText(HOSTILE);
    expect(t).not.toMatch(/[\r\n]/);
    expect(t).not.toContain('<details>');
    expect(t).not.toContain('](javascript:');
    expect(t).toBe('evil\\`\\|&lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;\\]\\(javascript:alert\\(1\\)\\) \\# heading \\| a \\| b \\|\\*bold\\*\\_');
  });

  it('escapes any value reversibly: only line breaks are lost, and no raw syntax is left', () => {
    const unescape = (t: string): string => t.replace(/\\(.)/gs, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const char = fc.constantFrom(...'ab -:/&<>\\`*_{}[]()#+!|~$\r\n\u2028\u2029'.split(''));
    fc.assert(
      // Short values and long ones: past 256 characters a value is escaped without being remembered.
      fc.property(fc.oneof(fc.array(char, { maxLength: 30 }), fc.array(char, { minLength: 250, maxLength: 300 })), (chars) => {
        const value = chars.join('');
        // Twice: the second answer may come from memory.
        for (const t of [mdText(value), mdText(value)]) {
          expect(unescape(t)).toBe(value.replace(/[\r\n\u2028\u2029]+/g, ' '));
          expect(t).not.toMatch(/[\r\n\u2028\u2029<>]/);
          expect(t.startsWith('-')).toBe(false);
          // Outside an escape pair, no markdown syntax character remains.
          expect(t.replace(/\\./gs, '')).not.toMatch(/[\\`*_{}[\]()#+!|~$]/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a fence no content can close', () => {
    const block = mdFence('a\n````\nb', 'diff');
    expect(block.startsWith('`````diff\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });

  it('renders a hostile role, key and session inert in the PR body', async () => {
    const [first] = await sampleComparisons();
    const md = renderMarkdown([hostile(first as Comparison)]);
    expect(md).not.toContain('<details><summary>x');
    expect(md).not.toContain('](javascript:');
    expect(md).not.toMatch(/^# heading/m);
    expect(md).toContain('evil\\`\\|&lt;details&gt;');
    // The structure is ours alone: one <details> per role, and table rows never split.
    expect(md.match(/<details>/g)).toHaveLength(1);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('s3:GetObject'))) expect(line.endsWith('|')).toBe(true);
  });
});

describe('text and json output', () => {
  it('text: removed actions are summed up per service, the first six named', async () => {
    const [first] = await sampleComparisons();
    const unused = (action: string): Comparison['actions'][number] => ({ action, class: 'unused', reason: null, before: ['*'], after: [] });
    const sqs = ['ChangeMessageVisibility', 'CreateQueue', 'DeleteMessage', 'DeleteQueue', 'GetQueueUrl', 'ListQueues', 'PurgeQueue', 'SendMessage'];
    // A service whose actions do not come in one run is still one line.
    const actions = [...sqs.slice(0, 4).map((a) => unused(`sqs:${a}`)), unused('sns:Publish'), ...sqs.slice(4).map((a) => unused(`sqs:${a}`))];
    const text = renderText([{ ...(first as Comparison), actions }], { color: false, clean: sanitizeForTerminal });
    const lines = text.split('\n').filter((l) => / unused actions? removed /.test(l));
    expect(lines).toEqual([`  - sqs: 8 unused actions removed (${sqs.slice(0, 6).join(', ')}, … 2 more)`, '  - sns: 1 unused action removed (Publish)']);
  });

  it('text: no raw control sequences from event values, colour only when asked', async () => {
    const [first] = await sampleComparisons();
    const c = { ...hostile(first as Comparison), notes: ['\x1b[31mred\x1b[0m'] };
    const plain = renderText([c], { color: false, clean: sanitizeForTerminal });
    expect(plain).not.toContain('\x1b');
    expect(plain).toContain('\\u001b[31mred');
    expect(renderText([c], { color: true, clean: sanitizeForTerminal })).toContain('\x1b[31m-');
  });

  it('json: stable, schema-tagged, the same twice', async () => {
    const all = await sampleComparisons();
    const a = renderJson(all);
    expect(renderJson(all)).toBe(a);
    const v = JSON.parse(a) as { schema: string; schemaVersion: number; roles: { counts: Record<string, number>; proposed: { Statement: unknown[] } }[] };
    expect([v.schema, v.schemaVersion]).toEqual(['iam-tailor/diff', 1]);
    expect(Object.keys(v.roles[0]?.counts ?? {})).toEqual(['used', 'unused', 'unobservable', 'platform', 'missing']);
  });

  it('json: written role by role, yet exactly the document pretty-printed as a whole', async () => {
    const all = await sampleComparisons();
    expect(all.length).toBeGreaterThan(1);
    for (const some of [all, all.slice(0, 1), []]) {
      const text = renderJson(some);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect((JSON.parse(text) as { roles: unknown[] }).roles).toHaveLength(some.length);
    }
  });
});
