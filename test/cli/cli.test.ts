import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { FIXTURES, manifest, ROOT, SAMPLES } from '../support/fixtures.js';

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), 'iam-tailor-cli-'));

describe('iam-tailor CLI', () => {
  it('generate writes a policy per role and a summary table on stderr', async () => {
    const out = await tmp();
    const r = await runCli(['generate', SAMPLES, '-o', out]);
    expect(r.code).toBe(0);
    expect((await readdir(join(out, '560428343783'))).length).toBe(8);
    expect(r.stderr).toMatch(/role\s+functions\s+events\s+actions\s+denied\s+unmapped/);
    expect(r.stderr).toContain('users-fn-role-5');
    expect(r.stderr).toContain('quantum.amazonaws.com:DescribeQuantumWidgets');
    expect(r.stderr).toMatch(/wrote 8 policies/);
  });

  it('running generate twice gives byte-identical files', async () => {
    const [a, b] = [await tmp(), await tmp()];
    await runCli(['generate', SAMPLES, '-o', a, '-q']);
    await runCli(['generate', SAMPLES, '-o', b, '-q']);
    for (const f of await readdir(join(a, '560428343783'))) {
      expect(await readFile(join(b, '560428343783', f), 'utf8')).toBe(await readFile(join(a, '560428343783', f), 'utf8'));
    }
  });

  it('profile -o writes a Usage that generate reads back to the same policies', async () => {
    const dir = await tmp();
    const usageFile = join(dir, 'usage.json');
    expect((await runCli(['profile', SAMPLES, '-o', usageFile, '-q'])).code).toBe(0);
    expect(JSON.parse(await readFile(usageFile, 'utf8')).schema).toBe('iam-tailor/usage');
    await runCli(['generate', usageFile, '-o', join(dir, 'from-usage'), '-q']);
    await runCli(['generate', SAMPLES, '-o', join(dir, 'from-logs'), '-q']);
    for (const f of await readdir(join(dir, 'from-logs', '560428343783'))) {
      expect(await readFile(join(dir, 'from-usage', '560428343783', f), 'utf8')).toBe(await readFile(join(dir, 'from-logs', '560428343783', f), 'utf8'));
    }
  });

  it('--json prints machine-readable output; --role narrows to matching roles', async () => {
    const r = await runCli(['generate', SAMPLES, '-o', await tmp(), '--json', '-q', '--role', 'users-*']);
    const v = JSON.parse(r.stdout) as { policies: string[]; roles: { role: string }[] };
    expect(v.roles.map((x) => x.role)).toEqual(['arn:aws:iam::560428343783:role/users-fn-role-5']);
    expect(v.policies).toHaveLength(1);
  });

  it('--per-function writes one policy per function of a shared role', async () => {
    const out = await tmp();
    await runCli(['generate', SAMPLES, '-o', out, '-q', '--per-function']);
    const sessions = manifest('samples').roles['arn:aws:iam::560428343783:role/users-fn-role-5']?.sessions ?? [];
    expect(sessions).toHaveLength(2);
    expect((await readdir(join(out, '560428343783', 'users-fn-role-5'))).sort()).toEqual(sessions.map((s) => `${s}.json`));
  });

  it('--since/--until narrow the window; a bad date is a usage error naming the flag', async () => {
    const r = await runCli(['profile', SAMPLES, '--since', '2026-10-20', '--until', '2026-10-21T00:00:00Z', '-q']);
    const u = JSON.parse(r.stdout) as { window: { first: string; last: string } };
    expect(u.window.first >= '2026-10-20T00:00:00Z' && u.window.last <= '2026-10-21T00:00:00Z').toBe(true);
    const bad = await runCli(['profile', SAMPLES, '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since: "yesterday-ish" is not a date/);
  });

  it('exit codes: 1 for --strict on a broken file (named), 2 for usage errors, 0 for --help with examples', async () => {
    const strict = await runCli(['profile', join(FIXTURES, 'bad', 'truncated.json.gz'), '--strict', '-q']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('truncated.json.gz');
    const lenient = await runCli(['profile', join(FIXTURES, 'bad', 'truncated.json.gz')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/warning: .*truncated.json.gz: cannot gunzip/);
    expect((await runCli(['profile'])).code).toBe(2);
    expect((await runCli(['no-such-command'])).code).toBe(2);
    const help = await runCli(['generate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect((await runCli(['--help'])).stdout).toContain('iam-tailor generate samples/cloudtrail');
  });

  it('the installed bin runs (after the build that npm ci runs)', () => {
    const bin = join(ROOT, 'dist', 'cli', 'bin.js');
    expect(existsSync(bin), 'dist/ is built by `npm ci` (prepare)').toBe(true);
    // Run as npx runs it: the file itself, through its shebang (so it must stay executable
    // after every rebuild, not only after npm's install-time chmod).
    const text = execFileSync(bin, ['--version'], { encoding: 'utf8' });
    expect(text.trim()).toBe('0.1.0');
  });
});
