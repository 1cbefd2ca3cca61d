import type { PolicyStatement } from '../policy/document.js';
import type { CurrentPolicy } from './current.js';
import type { ActionMatcher } from './expand.js';

/** One statement's say on one action: what it covers, and under which condition. */
export interface Grant {
  readonly effect: 'Allow' | 'Deny';
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly condition?: PolicyStatement['Condition'];
}

/**
 * The statements that speak of one action. A `svc:*` statement names hundreds of actions: they
 * all share one GrantSet, so what it says is worked out once, not once per action.
 */
export class GrantSet {
  /** Some Allow, and no unconditional Deny on every resource. */
  readonly allowed: boolean;
  /** What the Allows name, sorted; a NotResource reads `NOT a,b`. */
  readonly resources: readonly string[];
  /** Every Allow carries a condition. */
  readonly conditioned: boolean;
  /** Some Allow covers every resource (`*`, or a NotResource). */
  readonly star: boolean;
  private next?: Map<Grant, GrantSet>;

  constructor(readonly grants: readonly Grant[]) {
    const allows = grants.filter((g) => g.effect === 'Allow');
    const fullyDenied = grants.some((g) => g.effect === 'Deny' && !g.condition && !g.notResources && (g.resources ?? []).includes('*'));
    this.allowed = allows.length > 0 && !fullyDenied;
    const resources = new Set<string>();
    for (const g of allows) {
      if (g.notResources) resources.add(`NOT ${g.notResources.join(',')}`);
      for (const r of g.resources ?? []) resources.add(r);
    }
    this.resources = [...resources].sort();
    this.conditioned = allows.every((g) => g.condition);
    this.star = allows.some((g) => (g.resources ?? []).includes('*') || Boolean(g.notResources));
  }

  /** These grants and one more: the same set for every action that gains it. */
  with(grant: Grant): GrantSet {
    this.next ??= new Map();
    let out = this.next.get(grant);
    if (!out) this.next.set(grant, (out = new GrantSet([...this.grants, grant])));
    return out;
  }
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** action → every statement that allows or denies it, with resources and conditions kept. */
export function effectiveGrants(policies: readonly CurrentPolicy[], matcher: ActionMatcher): Map<string, GrantSet> {
  const out = new Map<string, GrantSet>();
  for (const p of policies) {
    for (const s of p.document.Statement) {
      const grant: Grant = { effect: s.Effect, resources: list(s.Resource), notResources: list(s.NotResource), condition: s.Condition };
      const alone = new GrantSet([grant]);
      const patterns = s.Action !== undefined ? (list(s.Action) ?? []).map((a) => matcher.expand(a)) : [matcher.complement(list(s.NotAction) ?? [])];
      for (const actions of patterns) {
        for (const a of actions) {
          const g = out.get(a);
          if (!g) out.set(a, alone);
          // Patterns of one statement may overlap (`s3:Get*`, `s3:GetObject`): the grant counts once.
          else if (g.grants[g.grants.length - 1] !== grant) out.set(a, g.with(grant));
        }
      }
    }
  }
  return out;
}

/** Actions the policies allow (an Allow, not wholly cancelled by a Deny), sorted. */
export function allowedActions(grants: ReadonlyMap<string, GrantSet>): string[] {
  const out: string[] = [];
  for (const [a, g] of grants) if (g.allowed) out.push(a);
  return out.sort();
}
