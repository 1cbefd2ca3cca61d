import { Command, InvalidArgumentError } from 'commander';
import { relative } from 'node:path';
import { writeFilesAtomic } from '../io/atomic.js';
import { renderPolicy } from '../policy/document.js';
import { policyPath } from '../policy/files.js';
import { DEFAULT_THRESHOLD, generatePolicies } from '../policy/generate.js';
import { Catalog } from '../profile/catalog.js';
import { addSourceOptions, loadUsage, Reporter, stopIfInterrupted, withExamples, type SourceFlags } from './common.js';
import type { RunContext } from './context.js';
import { renderSummary, roleSummaries } from './summary.js';

interface GenerateFlags extends SourceFlags {
  output: string;
  perFunction?: boolean;
  threshold: number;
  grantDenied?: boolean;
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function generateCommand(ctx: RunContext): Command {
  const cmd = new Command('generate')
    .description('write one least-privilege policy per role from CloudTrail logs or a usage profile')
    .argument('[source...]', 'CloudTrail log files or directories, or usage files from `iam-tailor profile`')
    .option('-o, --output <dir>', 'directory for policies/<account>/<role>.json', 'policies')
    .option('--per-function', 'one policy per function (session) for roles that several functions share')
    .option('--threshold <n>', 'exact resources per action before they are folded to a common prefix', positiveInt, DEFAULT_THRESHOLD)
    .option('--grant-denied', 'also grant actions that were attempted and denied (off: they are only reported)');
  addSourceOptions(cmd);
  withExamples(cmd, [
    'iam-tailor generate samples/cloudtrail',
    'iam-tailor generate usage.json -o policies/ --per-function',
    'iam-tailor generate AWSLogs/ --role "arn:aws:iam::123456789012:role/service-role/*" --since 90d',
  ]);
  cmd.action(async (inputs: string[], flags: GenerateFlags) => {
    const reporter = new Reporter(Boolean(flags.quiet));
    const usage = await loadUsage(inputs, flags, new Catalog(), reporter, ctx.signal);
    stopIfInterrupted(ctx.signal);
    const policies = generatePolicies(usage, { threshold: flags.threshold, perFunction: flags.perFunction, grantDenied: flags.grantDenied });
    const files = policies.map((p) => [policyPath(flags.output, p), renderPolicy(p.document)] as const);
    await writeFilesAtomic(files);
    const written = files.map(([path]) => relative(process.cwd(), path) || path);
    const folds = policies.flatMap((p) => p.folds.map((f) => ({ role: p.principal, ...f })));
    if (flags.json) process.stdout.write(`${JSON.stringify({ policies: written, folds, roles: roleSummaries(usage), input: usage.input }, null, 2)}\n`);
    reporter.info(renderSummary(usage));
    for (const f of folds) reporter.info(`folded ${f.folded} resources of ${f.action} (${f.role}) into ${f.into}`);
    reporter.info(`wrote ${written.length} policies under ${flags.output}/`);
  });
  return cmd;
}
