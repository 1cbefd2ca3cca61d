import { Command, CommanderError } from 'commander';
import { describePlace, TailorError } from '../errors.js';
import { removePendingTempFiles } from '../io/atomic.js';
import { diffCommand } from './diff.js';
import { EXIT } from './exit.js';
import { athenaCommand } from './athena.js';
import { explainCommand } from './explain.js';
import { rolesCommand } from './roles.js';
import { proposeCommand } from './propose.js';
import { generateCommand } from './generate.js';
import { profileCommand } from './profile.js';
import { sanitizeForTerminal } from './terminal.js';

export function buildProgram(signal: AbortSignal, setExitCode: (code: number) => void = () => {}): Command {
  const ctx = { signal, setExitCode };
  const program = new Command('iam-tailor')
    .description('Tailor IAM policies to what your Lambda functions actually do, from CloudTrail.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Pipeline: CloudTrail logs → profile (usage.json) → generate (policies/) → diff / propose.
Exit codes: 0 success, 1 error, 2 bad usage, 3 changes (diff --exit-code).

Examples:
  $ iam-tailor generate samples/cloudtrail                 # a policy per role under policies/
  $ iam-tailor profile samples/cloudtrail -o usage.json    # the usage profile, for later steps
  $ iam-tailor diff samples/cloudtrail --current samples/current --functions samples/lambda
  $ iam-tailor propose usage.json --repo ../policy-repo --dry-run
  $ iam-tailor explain GetFunction20150331v2 --source lambda.amazonaws.com
  $ iam-tailor explain --usage usage.json --role orders-fn-role --action s3:GetObject
`,
    );
  for (const make of [profileCommand, generateCommand, diffCommand, proposeCommand, explainCommand, rolesCommand, athenaCommand]) program.addCommand(make(ctx));
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function run(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: finishing the files in hand (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    let code: number = EXIT.ok;
    await buildProgram(controller.signal, (c) => {
      code = c;
    }).parseAsync([...argv], { from: 'user' });
    if (controller.signal.aborted) {
      await removePendingTempFiles();
      return 130;
    }
    return code;
  } catch (e) {
    if (controller.signal.aborted) {
      await removePendingTempFiles();
      if (e instanceof TailorError) process.stderr.write(`iam-tailor: ${sanitizeForTerminal(e.message)}\n`);
      return 130;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    await removePendingTempFiles();
    if (e instanceof TailorError) {
      const where = describePlace(e.place);
      process.stderr.write(`iam-tailor: ${sanitizeForTerminal(where ? `${where}: ` : '')}${sanitizeForTerminal(e.message)}\n`);
      return e.code === 'bad-argument' ? EXIT.usage : EXIT.error;
    }
    process.stderr.write(`iam-tailor: ${sanitizeForTerminal((e as Error).stack ?? String(e))}\n`);
    return EXIT.error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
