import type { PolicyStatement } from '../policy/document.js';
import type { CurrentPolicy } from './current.js';
import type { ActionMatcher } from './expand.js';

/** One statement's say on one action: what it covers, under which condition, from where. */
export interface Grant {
  readonly effect: 'Allow' | 'Deny';
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly condition?: PolicyStatement['Condition'];
  readonly policy: string;
  readonly sid?: string;
  readonly statement: PolicyStatement;
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** action → every statement that allows or denies it, with resources and conditions kept. */
export function effectiveGrants(policies: readonly CurrentPolicy[], matcher: ActionMatcher): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const p of policies) {
    for (const s of p.document.Statement) {
      const grant: Grant = { effect: s.Effect, resources: list(s.Resource), notResources: list(s.NotResource), condition: s.Condition, policy: p.name, sid: s.Sid, statement: s };
      const patterns = s.Action !== undefined ? (list(s.Action) ?? []).map((a) => matcher.expand(a)) : [matcher.complement(list(s.NotAction) ?? [])];
      for (const actions of patterns) {
        for (const a of actions) {
          const g = out.get(a);
          if (!g) out.set(a, [grant]);
          // Patterns of one statement may overlap (`s3:Get*`, `s3:GetObject`): the grant counts once.
          else if (g[g.length - 1] !== grant) g.push(grant);
        }
      }
    }
  }
  return out;
}

/** An unconditional Deny on every resource: nothing an Allow says about the action matters. */
export function fullyDenied(grants: readonly Grant[]): boolean {
  return grants.some((g) => g.effect === 'Deny' && !g.condition && !g.notResources && (g.resources ?? []).includes('*'));
}

/** Actions the policies allow (an Allow, not wholly cancelled by a Deny). */
export function allowedActions(grants: ReadonlyMap<string, readonly Grant[]>): string[] {
  const out: string[] = [];
  for (const [a, g] of grants) if (g.some((x) => x.effect === 'Allow') && !fullyDenied(g)) out.push(a);
  return out.sort();
}
