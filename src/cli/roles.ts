import { Command } from 'commander';
import { addAwsOptions, clientsFrom, type AwsFlags } from './aws-sources.js';
import { withExamples } from './common.js';
import type { RunContext } from './context.js';
import { table } from './terminal.js';

export function rolesCommand(_ctx: RunContext): Command {
  const cmd = new Command('roles').description('list Lambda functions with their execution roles, marking roles several functions share').option('--json', 'machine-readable output');
  addAwsOptions(cmd);
  withExamples(cmd, ['iam-tailor roles --aws-region eu-west-1', 'iam-tailor roles --json | jq -r \'.[] | select(.shared) | .role\'']);
  cmd.action(async (flags: AwsFlags & { json?: boolean }) => {
    const { listFunctionRoles } = await import('../compare/functions-lambda.js');
    const fns = await listFunctionRoles((await clientsFrom(flags)).lambda());
    const byRole = new Map<string, string[]>();
    for (const f of fns) byRole.set(f.role, [...(byRole.get(f.role) ?? []), f.functionName]);
    const rows = [...byRole].map(([role, functions]) => ({ role, functions: functions.sort(), shared: functions.length > 1 }));
    process.stdout.write(
      flags.json ? `${JSON.stringify(rows, null, 2)}\n` : `${table(['role', 'functions', 'shared'], rows.map((r) => [r.role, r.functions.join(', '), r.shared ? 'shared' : '']))}\n`,
    );
  });
  return cmd;
}
