import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { TailorError } from '../errors.js';
import { normalize } from '../profile/call.js';
import { Catalog } from '../profile/catalog.js';
import { rolePattern } from '../profile/filter.js';
import { Mapper } from '../profile/mapping.js';
import { parseUsage } from '../profile/usage.js';
import { withExamples } from './common.js';
import type { RunContext } from './context.js';
import { sanitizeForTerminal as clean } from './terminal.js';

interface ExplainFlags {
  source?: string;
  usage?: string;
  role?: string;
  action?: string;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export function explainCommand(_ctx: RunContext): Command {
  const cmd = new Command('explain')
    .description('show how an event maps to IAM actions (rule and source), or what a usage profile saw for one action')
    .argument('[event]', 'an event name (GetObject, GetFunction20150331v2), or - to read one CloudTrail record from stdin')
    .option('--source <eventSource>', 'event source of the event name, e.g. s3.amazonaws.com (default: every source that has it)')
    .option('--usage <file>', 'a usage file from `iam-tailor profile`')
    .option('--role <pattern>', 'with --usage: the role (name, ARN or glob)')
    .option('--action <action>', 'with --usage: the IAM action, e.g. s3:GetObject')
    .option('--json', 'machine-readable output');
  withExamples(cmd, [
    'iam-tailor explain CopyObject --source s3.amazonaws.com',
    'iam-tailor explain ReEncrypt',
    "jq '.Records[0]' file.json | iam-tailor explain -",
    'iam-tailor explain --usage usage.json --role orders-fn-role-0 --action dynamodb:Query',
  ]);
  cmd.action(async (event: string | undefined, flags: ExplainFlags) => {
    const catalog = new Catalog();
    const out = (v: unknown, text: string): void => {
      process.stdout.write(flags.json ? `${JSON.stringify(v, null, 2)}\n` : `${text}\n`);
    };
    if (flags.usage) {
      if (!flags.role || !flags.action) throw new TailorError('bad-argument', '--usage needs --role and --action', { argument: '--usage' });
      const usage = parseUsage(await readFile(flags.usage, 'utf8'), flags.usage);
      const re = rolePattern(flags.role);
      const rows = Object.entries(usage.principals)
        .filter(([arn]) => re.test(arn))
        .flatMap(([arn, p]) =>
          (['actions', 'implied', 'denied', 'failed'] as const).flatMap((kind) =>
            Object.entries(p[kind][flags.action as string] ?? {}).map(([resource, o]) => ({ role: arn, kind, resource, ...o })),
          ),
        );
      if (!rows.length) throw new TailorError('bad-argument', `no ${flags.action} for a role matching ${flags.role} in the usage`, { file: flags.usage });
      out(
        rows,
        rows
          .map((r) => `${clean(r.role)}  ${r.kind}  ${clean(r.resource)}\n  ${r.count} calls, first ${r.first}, last ${r.last}\n  functions: ${r.sessions.map(clean).join(', ')}${r.via ? `\n  via: ${r.via.join(', ')}` : ''}${r.impliedBy ? `\n  implied by: ${r.impliedBy.join(', ')}` : ''}`)
          .join('\n'),
      );
      return;
    }
    if (!event) throw new TailorError('bad-argument', 'name an event, or - for a record on stdin, or use --usage', { argument: '[event]' });
    const mapper = new Mapper(catalog);
    if (event === '-') {
      const n = normalize(JSON.parse(await readStdin()));
      if ('skip' in n) {
        out({ skip: n.skip, detail: n.detail }, `no permission needed for this record's principal: ${n.skip}${n.detail ? ` (${clean(n.detail)})` : ''}`);
        return;
      }
      await catalog.load(mapper.missingPrefixes(n.call));
      const m = mapper.map(n.call);
      const text =
        m.kind === 'mapped'
          ? [
              ...m.needs.map((x) => `${x.action}${x.implied ? ' (implied)' : ''}\n  ${x.resources.map(clean).join('\n  ')}`),
              ...(m.possible.length ? [`may also need (condition not visible in the record): ${m.possible.join(', ')}`] : []),
              `rule: ${m.rule}`,
            ].join('\n')
          : `${m.kind}: ${m.reason}\nrule: ${m.rule}`;
      out(m, text);
      return;
    }
    const sources = flags.source ? [flags.source] : mapper.sourcesWith(event);
    if (!sources.length) throw new TailorError('bad-argument', `no rule names ${event}; give --source to apply the general rule`, { argument: '[event]' });
    const answers = sources.map((s) => ({ eventSource: s, ...mapper.describe(s, event) }));
    await catalog.load(answers.flatMap((a) => a.actions.map(([x]) => x.split(':')[0] as string)));
    out(
      answers,
      answers
        .map((a) =>
          [
            `${a.eventSource} ${event}${a.name !== event ? ` (as ${a.name})` : ''}`,
            ...(a.none ? [`  needs no permission: ${a.none}`] : a.actions.map(([x, w]) => `  ${x}  when: ${w}${catalog.action(x) ? '' : '  (NOT in the IAM catalog)'}`)),
            ...Object.entries(a.variants ?? {}).map(([k, v]) => `  variant ${k}: ${v.actions.map(([x]) => x).join(', ')}`),
            `  source: ${a.from}`,
          ].join('\n'),
        )
        .join('\n'),
    );
  });
  return cmd;
}
