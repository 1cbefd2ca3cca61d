import { open, readFile, stat } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { describePlace, TailorError, type Problem } from '../errors.js';
import { FileSource } from '../ingest/files.js';
import { Catalog } from '../profile/catalog.js';
import { parseTime, rolePattern, type CallFilter } from '../profile/filter.js';
import { defaultWorkers, profileFiles } from '../profile/parallel.js';
import { profileSource } from '../profile/profiler.js';
import { addLiveSourceOptions, liveSource, type AwsFlags } from './aws-sources.js';
import { isUsageText, mergeUsage, parseUsage, type Usage } from '../profile/usage.js';
import { sanitizeForTerminal } from './terminal.js';

export interface SourceFlags extends AwsFlags {
  role?: string[];
  since?: string;
  until?: string;
  account?: string[];
  region?: string[];
  strict?: boolean;
  quiet?: boolean;
  json?: boolean;
  workers?: number;
  resume?: string;
}

function workerCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('must be a whole number from 1 to 256');
  return n;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** The flags every command that reads CloudTrail shares. */
export function addSourceOptions(cmd: Command): Command {
  addLiveSourceOptions(cmd);
  return cmd
    .option('--role <pattern>', 'only this role: name, ARN or glob (repeatable)', collect)
    .option('--since <time>', 'only events at or after: 2026-10-01, 2026-10-01T12:00:00Z, or relative 30d / 12h')
    .option('--until <time>', 'only events at or before (same forms as --since)')
    .option('--account <id>', 'only this 12-digit account (repeatable)', collect)
    .option('--region <name>', 'only this region (repeatable)', collect)
    .option('--strict', 'stop with exit 1 at the first unreadable file or record instead of skipping it')
    .option('--resume <usage.json>', 'continue an interrupted run: skip the files this usage file already holds, and merge it in')
    .option('--workers <n>', `worker threads that read files in parallel (default: ${defaultWorkers()}, the available cores)`, workerCount)
    .option('-q, --quiet', 'no summary or warnings on stderr')
    .addOption(new Option('--json', 'machine-readable output on stdout'));
}

export function filterFrom(flags: SourceFlags, now = new Date()): CallFilter {
  for (const a of flags.account ?? []) {
    if (!/^\d{12}$/.test(a)) throw new TailorError('bad-argument', `"${a}" is not a 12-digit account id`, { argument: '--account' });
  }
  for (const r of flags.region ?? []) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new TailorError('bad-argument', `"${r}" is not a region name`, { argument: '--region' });
  }
  const since = flags.since === undefined ? undefined : parseTime(flags.since, '--since', now);
  const until = flags.until === undefined ? undefined : parseTime(flags.until, '--until', now);
  if (since && until && since > until) throw new TailorError('bad-argument', '--since is after --until', { argument: '--since' });
  return { roles: (flags.role ?? []).map(rolePattern), since, until, accounts: flags.account ?? [], regions: flags.region ?? [] };
}

/** Writes warnings and progress to stderr; silent with --quiet; progress only on a TTY. */
export class Reporter {
  private lastProgress = 0;
  private progressShown = false;
  readonly problems: Problem[] = [];

  constructor(private readonly quiet: boolean) {}

  problem = (p: Problem): void => {
    this.problems.push(p);
    if (this.quiet) return;
    this.clearProgress();
    process.stderr.write(`warning: ${sanitizeForTerminal(describePlace(p.place))}: ${sanitizeForTerminal(p.message)}\n`);
  };

  progress = (p: { files: number; records: number; bytes: number }): void => {
    if (this.quiet || !process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.lastProgress < 200) return;
    this.lastProgress = now;
    this.progressShown = true;
    process.stderr.write(`\rprofiling: ${p.files} files, ${p.records} records, ${(p.bytes / 1e6).toFixed(0)} MB`);
  };

  clearProgress(): void {
    if (this.progressShown) {
      process.stderr.write('\r\x1b[K');
      this.progressShown = false;
    }
  }

  info(line: string): void {
    if (this.quiet) return;
    this.clearProgress();
    process.stderr.write(`${line}\n`);
  }
}

/**
 * Inputs are CloudTrail log files or directories, or Usage files written by `profile`; usage
 * files are merged with whatever the logs give.
 */
export async function loadUsage(inputs: readonly string[], flags: SourceFlags, catalog: Catalog, reporter: Reporter, signal?: AbortSignal): Promise<Usage> {
  const filter = filterFrom(flags);
  const live = await liveSource(flags, filter, (line) => reporter.info(line));
  if (live) {
    const usage = await profileSource(live, catalog, { filter, strict: flags.strict, onProblem: reporter.problem, signal });
    return usage;
  }
  if (!inputs.length) throw new TailorError('bad-argument', 'name at least one CloudTrail file or directory, or a usage file (or use --source cloudtrail|athena)', { argument: '[source...]' });
  const logPaths: string[] = [];
  const usages: Usage[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      throw new TailorError('bad-argument', 'no such file or directory', { file: input });
    }
    if (st.isFile() && /\.json$/i.test(input) && (await startsLikeUsage(input))) {
      usages.push(parseUsage(await readFile(input, 'utf8'), input));
      continue;
    }
    logPaths.push(input);
  }
  let skip: Set<string> | undefined;
  if (flags.resume) {
    let text: string;
    try {
      text = await readFile(flags.resume, 'utf8');
    } catch {
      throw new TailorError('bad-argument', 'cannot read the usage file to resume from', { file: flags.resume });
    }
    const resumed = parseUsage(text, flags.resume);
    usages.push(resumed);
    skip = new Set(resumed.files);
    reporter.info(`resuming: ${resumed.files.length} files already profiled in ${flags.resume}`);
  }
  let usage: Usage | undefined;
  if (logPaths.length) {
    const source = new FileSource({ paths: logPaths, skip, hints: { since: filter.since, until: filter.until, accounts: filter.accounts, regions: filter.regions } });
    usage = await profileFiles(source, catalog, flags.workers ?? defaultWorkers(), { filter, strict: flags.strict, onProblem: reporter.problem, onBatch: reporter.progress, signal });
    reporter.clearProgress();
  }
  for (const u of usages) usage = usage ? mergeUsage(usage, u) : u;
  return usage as Usage;
}

/** A usage file names its schema in its first bytes; log files are never read whole to tell. */
async function startsLikeUsage(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return isUsageText(head.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await fh.close();
  }
}

/** Commands that must not act on a partial profile stop here after Ctrl-C. */
export function stopIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new TailorError('interrupted', 'interrupted: nothing was written; outputs from earlier runs are intact');
}

/** Adds examples to a command's --help. */
export function withExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}
