import { once } from 'node:events';
import { Command, Option } from 'commander';
import { TailorError } from '../errors.js';
import { renderJsonChunks } from '../compare/render-json.js';
import { renderMarkdown } from '../compare/render-markdown.js';
import { renderText } from '../compare/render-text.js';
import { PatchWorker } from '../compare/patches.js';
import { addSourceOptions, Reporter, withExamples } from './common.js';
import { addCompareOptions, compareFromFlags, type CompareFlags } from './compare-inputs.js';
import type { RunContext } from './context.js';
import { EXIT_CHANGES } from './exit.js';
import { sanitizeForTerminal } from './terminal.js';

// Below this many roles a worker thread costs more to start than the diffs it would make.
const PATCH_WORKER_ROLES = 50;

interface DiffFlags extends CompareFlags {
  format: 'text' | 'markdown' | 'json';
  exitCode?: boolean;
}

export function diffCommand(ctx: RunContext): Command {
  const cmd = new Command('diff')
    .description('compare what roles did with what their current policies grant: used, unused, unobservable, platform and missing actions, risk before and after, and the proposed policy as a unified diff')
    .argument('[source...]', 'CloudTrail log files or directories, or usage files from `iam-tailor profile`')
    .addOption(new Option('--format <format>', 'text (coloured on a terminal; honours NO_COLOR), markdown (a PR comment) or json (stable, docs/diff-json.md)').choices(['text', 'markdown', 'json']).default('text'))
    .option('--exit-code', 'exit 3 when a policy would change (like git diff --exit-code)');
  addCompareOptions(cmd, true);
  addSourceOptions(cmd);
  withExamples(cmd, [
    'iam-tailor diff samples/cloudtrail --current samples/current',
    'iam-tailor diff usage.json --current auth-details.json --format markdown > comment.md',
    'iam-tailor diff usage.json --current policies/ --functions lambda-configs/ --exit-code',
  ]);
  cmd.action(async (inputs: string[], flags: DiffFlags) => {
    if (!flags.current) throw new TailorError('bad-argument', 'name the current policies', { argument: '--current' });
    const reporter = new Reporter(Boolean(flags.quiet));
    // Text and markdown show each changed role's unified diff: with many roles they are made on
    // a second thread while this one compares.
    let patches: PatchWorker | undefined;
    const { comparisons, window } = await compareFromFlags(inputs, flags, flags.current, ctx, reporter, {
      onStart: (roles) => {
        if (flags.format !== 'json' && roles >= PATCH_WORKER_ROLES) patches = PatchWorker.start();
      },
      onCompared: (c) => {
        if (c.changed) patches?.add(c);
      },
    });
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    if (flags.format === 'json') {
      // Role by role: the JSON of hundreds of roles is tens of MB.
      for (const chunk of renderJsonChunks(comparisons)) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    } else {
      const patch = await patches?.finish();
      const text = flags.format === 'markdown' ? renderMarkdown(comparisons, { window, patch }) : renderText(comparisons, { color, clean: sanitizeForTerminal, patch });
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
    if (flags.exitCode && comparisons.some((c) => c.changed)) ctx.setExitCode(EXIT_CHANGES);
  });
  return cmd;
}
