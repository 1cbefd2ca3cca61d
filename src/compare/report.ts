import { grantsOf, type GenerateOptions } from '../policy/generate.js';
import type { Usage } from '../profile/usage.js';
import { compareRole, type CompareOptions, type RoleComparison } from './classify.js';
import { matchRole, type CurrentRole } from './current.js';
import type { ActionMatcher } from './expand.js';
import { platformNeeds, type FunctionConfig } from './platform.js';

export interface Comparison extends RoleComparison {
  /** False when the usage holds no successful call of this role (nothing can be tightened). */
  readonly observed: boolean;
}

/**
 * Compares every role that has current policies with what the Usage saw it do. `onCompared`
 * sees each comparison as soon as it is made (the result is sorted by role at the end).
 */
export function compareAll(
  usage: Usage,
  current: readonly CurrentRole[],
  functions: readonly FunctionConfig[],
  matcher: ActionMatcher,
  opts: CompareOptions & GenerateOptions = {},
  onCompared?: (c: Comparison) => void,
): Comparison[] {
  // Principals by role name: a role file names its role, not always its ARN.
  const byName = new Map<string, string[]>();
  for (const p of Object.keys(usage.principals).sort()) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    byName.set(name, [...(byName.get(name) ?? []), p]);
  }
  const roles = [...current].sort((a, b) => (a.key < b.key ? -1 : 1)).map((role) => ({
    role,
    principal: (byName.get(role.name) ?? []).find((p) => matchRole([role], p)) ?? (role.key.startsWith('arn:') ? role.key : `arn:aws:iam::${role.account || '000000000000'}:role/${role.name}`),
  }));
  const out: Comparison[] = [];
  for (const { role, principal } of roles) {
    const p = usage.principals[principal];
    const grants = p ? grantsOf(p, { threshold: opts.threshold }).grants : new Map<string, string[]>();
    const platform = functions.filter((f) => f.Role === principal || f.Role.endsWith(`/${role.name}`)).flatMap(platformNeeds);
    const observed = Boolean(p && Object.keys(p.actions).length);
    const c = compareRole(principal, usage, role, grants, platform, matcher, opts);
    // Without a successful call there is no evidence to tighten on: the role is left alone.
    const done: Comparison = observed ? { ...c, observed } : { ...c, observed, proposed: c.current, changed: false };
    onCompared?.(done);
    out.push(done);
  }
  // One order whatever the source of the current policies: by role ARN.
  return out.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}
