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
