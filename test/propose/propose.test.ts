import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ROOT, SAMPLES } from '../support/fixtures.js';

const env = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.invalid' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).trim();

/** A policy repository: the samples' current policies, one of them already tight. */
async function policyRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  await cp(join(ROOT, 'samples', 'current'), join(dir, 'policies'), { recursive: true });
  await cp(join(ROOT, 'policies', '560428343783', 'orders-fn-role-0.json'), join(dir, 'policies', '560428343783', 'orders-fn-role-0.json'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'current policies');
  return dir;
}

describe('iam-tailor propose', () => {
  it('creates one branch with one commit touching only the changed policy files; the checkout is untouched', async () => {
    const repo = await policyRepo();
    const head = git(repo, 'rev-parse', 'HEAD');
    const body = join(repo, '..', `${repo.split('/').pop()}-body.md`);
    const r = await runCli(['propose', SAMPLES, '--repo', repo, '--body-file', body, '-q'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(git(repo, 'branch', '--list').split('\n').map((b) => b.replace(/^\*?\s+/, ''))).toEqual(['iam-tailor/tighten-2026-10-25', 'main']);
    const branch = 'iam-tailor/tighten-2026-10-25';
    expect(git(repo, 'rev-list', '--count', `main..${branch}`)).toBe('1');
    const touched = git(repo, 'diff', '--name-only', `main..${branch}`).split('\n');
    expect(touched).toHaveLength(7);
    expect(touched).not.toContain('policies/560428343783/orders-fn-role-0.json');
    for (const f of touched) expect(f).toMatch(/^policies\/560428343783\/[a-z0-9-]+\.json$/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'log', '-1', '--format=%s', branch)).toMatch(/^iam-tailor: tighten 7 role policies \(\d+ actions removed, \d+ narrowed\)$/);
    const md = await readFile(body, 'utf8');
    expect(md).toContain('minimum observation window 30 days');
    expect(md).toContain('unobservable and platform permissions are never removed');
    expect(r.stdout).toMatch(/^iam-tailor: tighten 7 role policies/);

    // On the result, it proposes nothing.
    git(repo, 'checkout', '-q', branch);
    const again = await runCli(['propose', SAMPLES, '--repo', repo, '--branch', 'iam-tailor/again'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('nothing to propose');
    expect(git(repo, 'branch', '--list', 'iam-tailor/again')).toBe('');
  });

  it('below the minimum window, removes nothing; --dry-run creates no branch', async () => {
    const repo = await policyRepo();
    const dry = await runCli(['propose', SAMPLES, '--repo', repo, '--dry-run', '--min-days', '60'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/dry run: would commit \d+ files/);
    expect(dry.stdout).toContain('observed 36.0');
    expect(dry.stdout).toContain(': no removals proposed');
    expect(dry.stdout).not.toMatch(/\| removed \|/);
    expect(git(repo, 'branch', '--list')).toBe('* main');
  });

  it('leaves roles without successful calls alone', async () => {
    const repo = await policyRepo();
    const r = await runCli(['propose', SAMPLES, '--repo', repo, '--role', 'users-*', '-q'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(git(repo, 'diff', '--name-only', 'main..iam-tailor/tighten-2026-10-25')).toBe('policies/560428343783/users-fn-role-5.json');
  });
});
