import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { TailorError } from '../errors.js';
import { loadCurrent, type CurrentRole } from '../compare/current.js';
import { clientsFrom } from './aws-sources.js';
import { ActionMatcher, servicesNamed } from '../compare/expand.js';
import { parseSelectors, type TrailSelectors } from '../compare/observability.js';
import { loadFunctionConfigs, type FunctionConfig } from '../compare/platform.js';
import { compareAll, type Comparison } from '../compare/report.js';
import { DEFAULT_THRESHOLD } from '../policy/generate.js';
import { Catalog } from '../profile/catalog.js';
import { loadUsage, Reporter, stopIfInterrupted, type SourceFlags } from './common.js';
import type { RunContext } from './context.js';
import { positiveInt } from './generate.js';

export interface CompareFlags extends SourceFlags {
  current?: string;
  functions?: string;
  eventSelectors?: string;
  grantDenied?: boolean;
  threshold: number;
}

/** Options shared by `diff` and `propose`. */
export function addCompareOptions(cmd: Command, currentRequired: boolean): Command {
  const current = new Option('--current <dir|file|iam>', 'current policies: a directory in the policies/ layout (<account>/<role>.json), `aws iam get-account-authorization-details` output, or iam to read them from IAM');
  if (currentRequired) current.makeOptionMandatory();
  return cmd
    .addOption(current)
    .option('--functions <dir|file|lambda>', 'Lambda function configurations (`aws lambda get-function-configuration` output), or lambda to read them from Lambda, for platform permissions')
    .option('--event-selectors <file>', '`aws cloudtrail get-event-selectors` output: which data events the trail records (else inferred from the input)')
    .option('--grant-denied', 'add missing permissions (used or denied but not granted) instead of only reporting them')
    .option('--threshold <n>', 'exact resources per action before they are folded to a common prefix', positiveInt, DEFAULT_THRESHOLD);
}

/** Function configurations from files, or from Lambda (`lambda`) for the functions of these roles. */
export async function functionsFrom(spec: string, flags: CompareFlags | SourceFlags, roles: readonly string[]): Promise<FunctionConfig[]> {
  if (spec !== 'lambda') return loadFunctionConfigs(spec);
  const { functionConfig, listFunctionRoles } = await import('../compare/functions-lambda.js');
  const lambda = (await clientsFrom(flags)).lambda();
  const wanted = (await listFunctionRoles(lambda)).filter((f) => roles.includes(f.role));
  return Promise.all(wanted.map((f) => functionConfig(lambda, f.functionName)));
}

async function currentFromIamRoles(flags: CompareFlags, roles: readonly string[]): Promise<CurrentRole[]> {
  const { currentFromIam } = await import('../compare/current-iam.js');
  const iam = (await clientsFrom(flags)).iam();
  return Promise.all(roles.map((r) => currentFromIam(iam, r)));
}

export interface CompareHooks {
  /** Decides, once the observation window is known, whether unused actions stay. */
  readonly keepUnused?: (window: { first: string; last: string } | null) => boolean;
  /** Called with the number of roles to compare, once the current policies are read. */
  readonly onStart?: (roles: number) => void;
  /** Sees each comparison as soon as it is made. */
  readonly onCompared?: (c: Comparison) => void;
}

/** Profiles (or reads) the usage and compares it with the current policies. */
export async function compareFromFlags(
  inputs: string[],
  flags: CompareFlags,
  currentPath: string,
  ctx: RunContext,
  reporter: Reporter,
  hooks: CompareHooks = {},
): Promise<{ comparisons: Comparison[]; window: { first: string; last: string } | null }> {
  const catalog = new Catalog();
  const usage = await loadUsage(inputs, flags, catalog, reporter, ctx.signal);
  stopIfInterrupted(ctx.signal);
  const roles = Object.keys(usage.principals).sort();
  // `iam` and `lambda` read live from AWS instead of from files.
  const current = currentPath === 'iam' ? await currentFromIamRoles(flags, roles) : await loadCurrent(currentPath);
  if (!current.length) throw new TailorError('bad-argument', 'no policies found', { file: currentPath });
  hooks.onStart?.(current.length);
  // Only the services the policies can name are loaded: the whole catalog takes ~1 s.
  const services = servicesNamed(current.flatMap((r) => r.policies.flatMap((p) => p.document.Statement)));
  await (services === 'all' ? catalog.loadAll() : catalog.load(services));
  // Configurations given now win over those the usage keeps from `profile --functions`.
  const functions = flags.functions ? await functionsFrom(flags.functions, flags, roles) : Object.values(usage.functions ?? {});
  let selectors: TrailSelectors | undefined;
  if (flags.eventSelectors) {
    try {
      selectors = parseSelectors(JSON.parse(await readFile(flags.eventSelectors, 'utf8')));
    } catch (e) {
      throw new TailorError('bad-argument', `cannot read event selectors: ${(e as Error).message}`, { file: flags.eventSelectors });
    }
  }
  const keepUnused = hooks.keepUnused?.(usage.window) ?? false;
  const comparisons = compareAll(usage, current, functions, new ActionMatcher(catalog), { grantDenied: flags.grantDenied, selectors, threshold: flags.threshold, keepUnused }, hooks.onCompared);
  return { comparisons, window: usage.window };
}
