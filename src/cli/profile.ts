import { Command } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';
import { Catalog } from '../profile/catalog.js';
import { serializeUsage } from '../profile/usage.js';
import { addSourceOptions, loadUsage, Reporter, withExamples, type SourceFlags } from './common.js';
import { renderSummary, roleSummaries } from './summary.js';
import { functionsFrom } from './compare-inputs.js';
import type { RunContext } from './context.js';

interface ProfileFlags extends SourceFlags {
  output?: string;
  functions?: string;
}

export function profileCommand(ctx: RunContext): Command {
  const cmd = new Command('profile')
    .description('read CloudTrail logs and write the usage profile: per role, every IAM action and resource used, with counts, first/last seen and functions')
    .argument('[source...]', 'CloudTrail log files or directories (.json, .json.gz, JSON Lines, lookup-events output), or usage files to merge')
    .option('-o, --output <file>', 'write the usage profile here (default: stdout)')
    .option('--functions <dir|file|lambda>', 'keep the Lambda configurations of the profiled roles\' functions in the usage (files, or lambda to read them from Lambda): diff and propose derive platform permissions from them');
  addSourceOptions(cmd);
  withExamples(cmd, [
    'iam-tailor profile samples/cloudtrail -o usage.json',
    'iam-tailor profile AWSLogs/ --since 30d --role "orders-*" -o orders.json',
    'iam-tailor profile shard-a.json shard-b.json -o usage.json    # merge profiles',
  ]);
  cmd.action(async (inputs: string[], flags: ProfileFlags) => {
    const reporter = new Reporter(Boolean(flags.quiet));
    const usage = await loadUsage(inputs, flags, new Catalog(), reporter, ctx.signal);
    if (flags.functions && !ctx.signal.aborted) {
      const roles = Object.keys(usage.principals);
      const configs = (await functionsFrom(flags.functions, flags, roles)).filter((f) => roles.includes(f.Role));
      usage.functions = Object.fromEntries(configs.sort((a, b) => (a.FunctionName < b.FunctionName ? -1 : 1)).map((f) => [f.FunctionName, f]));
    }
    const text = serializeUsage(usage);
    if (ctx.signal.aborted) {
      // The previous output stays; what was finished is kept apart, ready for --resume.
      const partial = `${(flags.output ?? 'usage.json').replace(/\.json$/, '')}.partial.json`;
      await writeFileAtomic(partial, text);
      reporter.info(`interrupted after ${usage.files.length} files (${usage.input.records} records); ${flags.output ? `${flags.output} left as it was; ` : ''}partial profile in ${partial}`);
      reporter.info(`continue with: iam-tailor profile ${inputs.join(' ')} --resume ${partial}${flags.output ? ` -o ${flags.output}` : ''}`);
      return;
    }
    if (flags.output) await writeFileAtomic(flags.output, text);
    else process.stdout.write(text);
    if (flags.json && flags.output) process.stdout.write(`${JSON.stringify({ output: flags.output, roles: roleSummaries(usage), input: usage.input }, null, 2)}\n`);
    reporter.info(renderSummary(usage));
  });
  return cmd;
}
