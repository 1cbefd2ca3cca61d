import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyPath, safeSegment } from '../../src/policy/files.js';
import { runCli } from '../support/cli.js';

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('policy file paths from event values', () => {
  it.each(['../../etc/x', '/etc/passwd', 'a\u0000b', '..', '.', '', 'C:\\Windows\\x', 'ok-name'])('%j stays a single safe segment', (name) => {
    const seg = safeSegment(name);
    expect(seg.includes('/') || seg.includes('\\') || seg.includes('\u0000')).toBe(false);
    expect(seg).not.toMatch(/^\.+$/);
    expect(seg.length).toBeGreaterThan(0);
    const root = '/tmp/out';
    expect(policyPath(root, { account: '123456789012', role: name, session: name }).startsWith(`${resolve(root)}${sep}`)).toBe(true);
  });

  it('hostile session names from a trail never leave the output directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-paths-'));
    const record = (session: string, id: string): Record<string, unknown> => ({
      eventVersion: '1.09',
      eventTime: '2026-10-01T00:00:00Z',
      eventSource: 'sqs.amazonaws.com',
      eventName: 'SendMessage',
      awsRegion: 'eu-west-1',
      eventID: id,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/r/${session}`, sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/../../../evil/r' } } },
      requestParameters: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q' },
    });
    await writeFile(join(dir, 'trail.json'), JSON.stringify({ Records: [record('../../../../tmp/pwned', '1'), record('/abs/path', '2'), record('nul\u0000byte', '3')] }));
    const out = join(dir, 'out');
    const r = await runCli(['generate', join(dir, 'trail.json'), '-o', out, '--per-function', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const files = await tree(out);
    expect(files).toHaveLength(3);
    for (const f of files) expect(f.startsWith(`${out}${sep}`)).toBe(true);
    expect((await tree(dir)).filter((f) => !f.startsWith(out))).toEqual([join(dir, 'trail.json')]);
  });
});
