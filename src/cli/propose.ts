import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';
import { commitOnNewBranch, openRepo } from '../propose/git.js';
import { buildProposal, windowDays } from '../propose/propose.js';
import { addSourceOptions, Reporter, withExamples } from './common.js';
import { addCompareOptions, compareFromFlags, type CompareFlags } from './compare-inputs.js';
import type { RunContext } from './context.js';

interface ProposeFlags extends CompareFlags {
  repo: string;
  policies: string;
  branch?: string;
  minDays: number;
  dryRun?: boolean;
  titleFile?: string;
  bodyFile?: string;
}

function days(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of days');
  return n;
}

export function proposeCommand(ctx: RunContext): Command {
  const cmd = new Command('propose')
    .description('the PR bot: in a git repository of policy files, commit tightened policies on a new branch and write the PR title and body')
    .argument('[source...]', 'CloudTrail log files or directories, or usage files from `iam-tailor profile`')
    .option('--repo <dir>', 'the policy repository (a git work tree)', '.')
    .option('--policies <dir>', 'policy directory inside the repository, in the <account>/<role>.json layout', 'policies')
    .option('--branch <name>', 'branch to create (default: iam-tailor/tighten-<last day observed>)')
    .option('--min-days <n>', 'minimum observation window: below it no removal is proposed', days, 30)
    .option('--title-file <file>', 'write the PR title here (default: stdout)')
    .option('--body-file <file>', 'write the PR body (markdown) here (default: stdout), e.g. for gh pr create --body-file')
    .option('--dry-run', 'show what would be proposed; create no branch or commit');
  addCompareOptions(cmd, false);
  addSourceOptions(cmd);
  withExamples(cmd, [
    'iam-tailor propose usage.json --repo . --body-file pr.md --title-file title.txt',
    'iam-tailor propose AWSLogs/ --repo ../policies-repo --functions lambda/ --dry-run',
    'gh pr create --head "$(git branch --list "iam-tailor/*" | tail -1)" --title "$(cat title.txt)" --body-file pr.md',
  ]);
  cmd.action(async (inputs: string[], flags: ProposeFlags) => {
    const reporter = new Reporter(Boolean(flags.quiet));
    const repo = await openRepo(resolve(flags.repo));
    const policies = isAbsolute(flags.policies) ? flags.policies : join(repo.root, flags.policies);
    // Below the minimum window, unused permissions stay: only narrowing of used ones is proposed.
    const { comparisons, window } = await compareFromFlags(inputs, flags, flags.current ?? policies, ctx, reporter, { keepUnused: (w) => windowDays(w) < flags.minDays });
    const proposal = buildProposal(comparisons, repo.root, window, { minDays: flags.minDays });
    if (!proposal.files.length) {
      reporter.info('nothing to propose: every observed role already matches its tightened policy');
      return;
    }
    const branch = flags.branch ?? `iam-tailor/tighten-${(window?.last ?? '').slice(0, 10) || 'unobserved'}`;
    if (flags.dryRun) {
      reporter.info(`dry run: would commit ${proposal.files.length} files on ${branch}: ${proposal.files.map((f) => f.path).join(', ')}`);
    } else {
      if (ctx.signal.aborted) return;
      const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-index-'));
      try {
        const commit = await commitOnNewBranch(repo, branch, proposal.files, proposal.message, join(dir, 'index'));
        reporter.info(`committed ${proposal.files.length} policy files on ${branch} (${commit.slice(0, 12)}); working tree untouched`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (flags.titleFile) await writeFileAtomic(flags.titleFile, `${proposal.title}\n`);
    if (flags.bodyFile) await writeFileAtomic(flags.bodyFile, proposal.body);
    if (!flags.titleFile) process.stdout.write(`${proposal.title}\n\n`);
    if (!flags.bodyFile) process.stdout.write(proposal.body);
  });
  return cmd;
}
