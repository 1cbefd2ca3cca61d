import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TailorError } from '../errors.js';

const run = promisify(execFile);

export interface Git {
  readonly root: string;
  git(args: readonly string[], input?: string, env?: Record<string, string>): Promise<string>;
}

/** The git repository that holds `dir`. */
export async function openRepo(dir: string): Promise<Git> {
  const git = async (args: readonly string[], input?: string, env?: Record<string, string>): Promise<string> => {
    try {
      const child = run('git', [...args], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
      if (input !== undefined) {
        child.child.stdin?.end(input);
      }
      return (await child).stdout;
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new TailorError('bad-argument', `git ${args[0]} failed: ${(err.stderr ?? err.message).trim()}`, { argument: dir });
    }
  };
  const root = (await git(['rev-parse', '--show-toplevel'])).trim();
  return { root, git };
}

export interface CommitFile {
  /** Path relative to the repository root, with `/`. */
  readonly path: string;
  readonly content: string;
}

/**
 * Commits files on a new branch off HEAD without touching the working tree, the index or the
 * checked-out branch (a temporary index and `commit-tree`), so an interrupted run changes
 * nothing and the user's checkout is never disturbed.
 */
export async function commitOnNewBranch(repo: Git, branch: string, files: readonly CommitFile[], message: string, tmpIndex: string): Promise<string> {
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('-')) throw new TailorError('bad-argument', `"${branch}" is not a safe branch name`, { argument: '--branch' });
  const exists = await repo.git(['branch', '--list', branch]);
  if (exists.trim()) throw new TailorError('bad-argument', `branch ${branch} already exists`, { argument: '--branch' });
  const env = { GIT_INDEX_FILE: tmpIndex };
  await repo.git(['read-tree', 'HEAD'], undefined, env);
  for (const f of files) {
    const blob = (await repo.git(['hash-object', '-w', '--stdin'], f.content)).trim();
    await repo.git(['update-index', '--add', '--cacheinfo', `100644,${blob},${f.path}`], undefined, env);
  }
  const tree = (await repo.git(['write-tree'], undefined, env)).trim();
  const commit = (await repo.git(['commit-tree', tree, '-p', 'HEAD', '-F', '-'], message)).trim();
  await repo.git(['update-ref', `refs/heads/${branch}`, commit, '']);
  return commit;
}
