import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ROOT, SAMPLES } from '../support/fixtures.js';

const current = join(ROOT, 'samples', 'current');
const functions = join(ROOT, 'samples', 'lambda');

describe('iam-tailor diff', () => {
  it('prints a summary line, per-role classes, risk and a unified diff', async () => {
    const r = await runCli(['diff', SAMPLES, '--current', current, '--functions', functions, '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^8 of 8 roles would change: \d+ actions removed\.$/);
    expect(r.stdout).toMatch(/used \d+, unused \d+, unobservable \d+, platform \d+, missing \d+/);
    expect(r.stdout).toMatch(/risk: before .*iam:PassRole on \*/);
    expect(r.stdout).toContain('--- a/');
    expect(r.stdout).not.toContain('\x1b['); // not a TTY: no colour
  });

  it('--exit-code exits 3 when a policy would change; 0 when the current policies are already tight', async () => {
    expect((await runCli(['diff', SAMPLES, '--current', current, '-q', '--exit-code'])).code).toBe(3);
    const tight = join(ROOT, 'policies');
    const r = await runCli(['diff', SAMPLES, '--current', tight, '-q', '--exit-code', '--role', 'orders-*']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--format markdown and json', async () => {
    const md = await runCli(['diff', SAMPLES, '--current', current, '-q', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^## iam-tailor: least-privilege proposal/);
    expect(md.stdout).toContain('<details>');
    const js = await runCli(['diff', SAMPLES, '--current', current, '-q', '--format', 'json']);
    expect(JSON.parse(js.stdout).changedRoles).toBe(8);
    expect((await runCli(['diff', SAMPLES, '--current', current, '--format', 'yaml'])).code).toBe(2);
    expect((await runCli(['diff', SAMPLES])).code).toBe(2);
  });
});

describe('function configurations kept in the usage', () => {
  it('profile --functions stores them; diff on that usage finds the same platform permissions', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const usage = join(await mkdtemp(join(tmpdir(), 'iam-tailor-fn-')), 'u.json');
    expect((await runCli(['profile', SAMPLES, '--functions', functions, '-o', usage, '-q'])).code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    expect(Object.keys((JSON.parse(await readFile(usage, 'utf8')) as { functions: Record<string, unknown> }).functions)).toHaveLength(8);
    const fromUsage = await runCli(['diff', usage, '--current', current, '--format', 'json', '-q']);
    const fromFlag = await runCli(['diff', SAMPLES, '--current', current, '--functions', functions, '--format', 'json', '-q']);
    expect(fromUsage.stdout).toBe(fromFlag.stdout);
  });
});
