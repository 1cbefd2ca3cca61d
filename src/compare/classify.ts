import { buildDocument } from '../policy/generate.js';
import { stableSid, type PolicyDocument, type PolicyStatement } from '../policy/document.js';
import { canonicalize, type PrincipalUsage, type Usage } from '../profile/usage.js';
import type { CurrentRole } from './current.js';
import { allowedActions, effectiveGrants, type Grant, type GrantSet } from './effective.js';
import type { ActionMatcher } from './expand.js';
import { whyUnobservable, type TrailSelectors } from './observability.js';
import type { PlatformNeed } from './platform.js';
import { findRisks, documentRisks, type RiskFinding } from './risk.js';

export type ActionClass = 'used' | 'unused' | 'unobservable' | 'platform' | 'missing';
export const CLASSES: readonly ActionClass[] = ['used', 'unused', 'unobservable', 'platform', 'missing'];

export interface ClassifiedAction {
  readonly action: string;
  readonly class: ActionClass;
  /** Why (unobservable, platform, missing, kept as is); null when the class says it all. */
  readonly reason: string | null;
  /** Resources the current policies grant it on (`*` when any statement says so). */
  readonly before: readonly string[];
  /** Resources the proposed policy grants it on; empty when removed. */
  readonly after: readonly string[];
}

/** Two actions alike but for their name: a removed `svc:*` is a run of them, rendered once. */
export const alikeButName = (a: ClassifiedAction, b: ClassifiedAction | undefined): boolean =>
  b !== undefined && a.class === b.class && a.reason === b.reason && a.before === b.before && a.after === b.after;

export interface RoleComparison {
  readonly role: string;
  readonly account: string;
  readonly name: string;
  readonly file?: string;
  readonly actions: readonly ClassifiedAction[];
  readonly counts: Readonly<Record<ActionClass, number>>;
  readonly risk: { readonly before: readonly RiskFinding[]; readonly after: readonly RiskFinding[] };
  readonly current: PolicyDocument;
  readonly proposed: PolicyDocument;
  /** True when the proposed policy differs from the current one. */
  readonly changed: boolean;
  readonly notes: readonly string[];
}

export interface CompareOptions {
  readonly grantDenied?: boolean;
  readonly selectors?: TrailSelectors;
  /** Leave `unused` actions in place (the observation window is too short to remove them). */
  readonly keepUnused?: boolean;
}

const REMOVED: readonly string[] = Object.freeze([]);

/** The current statements for one action, narrowed to that action (resources and conditions kept). */
function keepAsIs(action: string, grants: readonly Grant[]): PolicyStatement[] {
  return grants
    .filter((g) => g.effect === 'Allow')
    .map((g) => {
      const s: PolicyStatement = { Effect: 'Allow', Action: action };
      if (g.resources) s.Resource = g.resources.length === 1 ? (g.resources[0] as string) : [...g.resources];
      if (g.notResources) s.NotResource = g.notResources.length === 1 ? (g.notResources[0] as string) : [...g.notResources];
      if (g.condition) s.Condition = g.condition;
      return s;
    });
}

const combine = (current: CurrentRole): PolicyDocument => ({ Version: '2012-10-17', Statement: current.policies.flatMap((p) => p.document.Statement) });

/** Folds statements that differ only in their action into one, with stable Sids. */
function mergeKept(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const groups = new Map<string, PolicyStatement & { Action: string[] }>();
  for (const s of statements) {
    const { Action, ...rest } = s;
    const key = JSON.stringify(rest);
    const g = groups.get(key);
    const actions = [Action ?? []].flat();
    if (g) g.Action.push(...actions);
    else groups.set(key, { ...rest, Action: [...actions] });
  }
  return [...groups.values()]
    .map((g) => {
      const actions = [...new Set(g.Action)].sort();
      const resources = [g.Resource ?? g.NotResource ?? []].flat();
      const s: PolicyStatement = { ...g, Sid: stableSid(`${(actions[0] ?? '').split(':')[0]}-kept`, actions, [...resources, JSON.stringify(g.Condition ?? null)]), Action: actions.length === 1 ? (actions[0] as string) : actions };
      return { s, key: JSON.stringify(s) };
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((x) => x.s);
}

/**
 * Classifies every action the role holds today and builds the tightened policy: used actions
 * narrowed to what was observed, unobservable and platform permissions kept, unused ones removed,
 * missing ones reported (added only with `grantDenied`), Deny statements kept as they are.
 */
export function compareRole(
  principal: string,
  usage: Usage,
  current: CurrentRole,
  generated: ReadonlyMap<string, readonly string[]>,
  platform: readonly PlatformNeed[],
  matcher: ActionMatcher,
  opts: CompareOptions = {},
): RoleComparison {
  const p: PrincipalUsage | undefined = usage.principals[principal];
  const grants = effectiveGrants(current.policies, matcher);
  const allows = (a: string): boolean => grants.get(a)?.allowed === true;
  const used = new Set([...Object.keys(p?.actions ?? {}), ...Object.keys(p?.implied ?? {})]);
  const platformBy = new Map<string, PlatformNeed[]>();
  for (const n of platform) platformBy.set(n.action, [...(platformBy.get(n.action) ?? []), n]);

  const narrowed = new Map<string, string[]>(); // explicit grants of the proposal
  const kept: PolicyStatement[] = []; // current statements carried over for one action
  const actions: ClassifiedAction[] = [];
  const notes: string[] = [];
  // In the order of CLASSES, which is the order the JSON shows (a test holds it).
  const counts: Record<ActionClass, number> = { used: 0, unused: 0, unobservable: 0, platform: 0, missing: 0 };

  for (const action of allowedActions(grants)) {
    const set = grants.get(action) as GrantSet;
    const g = set.grants;
    const before = set.resources;
    const plat = platformBy.size ? platformBy.get(action) : undefined;
    if (used.has(action)) {
      counts.used++;
      const after = [...new Set([...(generated.get(action) ?? []), ...(plat ?? []).map((n) => n.resource)])].sort();
      if (set.conditioned) {
        // Narrowing resources under a condition could drop the condition: keep the statements.
        kept.push(...keepAsIs(action, g));
        actions.push({ action, class: 'used', reason: 'kept as is: granted under a condition', before, after: before });
      } else {
        narrowed.set(action, after);
        actions.push({ action, class: 'used', reason: null, before, after });
      }
      continue;
    }
    if (plat) {
      counts.platform++;
      const after = [...new Set(plat.map((n) => n.resource))].sort();
      narrowed.set(action, after);
      actions.push({ action, class: 'platform', reason: [...new Set(plat.map((n) => `${n.reason} (${n.fn})`))].join('; '), before, after });
      continue;
    }
    const why = whyUnobservable(action, usage.coverage, opts.selectors);
    if (why) {
      counts.unobservable++;
      kept.push(...keepAsIs(action, g));
      actions.push({ action, class: 'unobservable', reason: why, before, after: before });
      continue;
    }
    counts.unused++;
    if (opts.keepUnused) {
      kept.push(...keepAsIs(action, g));
      actions.push({ action, class: 'unused', reason: 'kept: observation window below the minimum', before, after: before });
    } else actions.push({ action, class: 'unused', reason: null, before, after: REMOVED });
  }

  const missing = new Map<string, string>();
  for (const a of used) if (!allows(a)) missing.set(a, 'used but not granted by the current policies');
  for (const a of Object.keys(p?.denied ?? {})) if (!allows(a) && !missing.has(a)) missing.set(a, 'denied: attempted and refused');
  for (const n of platform) if (!allows(n.action) && !missing.has(n.action)) missing.set(n.action, `platform: ${n.reason} (${n.fn})`);
  for (const [action, reason] of [...missing].sort()) {
    counts.missing++;
    const observed = Object.keys(p?.actions[action] ?? p?.implied[action] ?? p?.denied[action] ?? {});
    const fromPlatform = (platformBy.get(action) ?? []).map((n) => n.resource);
    const resources = [...new Set([...(generated.get(action) ?? observed), ...fromPlatform])].sort();
    const add = Boolean(opts.grantDenied);
    if (add) narrowed.set(action, resources);
    actions.push({ action, class: 'missing', reason: add ? `${reason}; added` : reason, before: [], after: add ? resources : [] });
  }

  const denies = current.policies.flatMap((x) => x.document.Statement.filter((s) => s.Effect === 'Deny'));
  const proposed: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [...buildDocument(narrowed).Statement, ...mergeKept(kept), ...mergeKept(denies)],
  };
  if (current.permissionsBoundary) notes.push(`permissions boundary ${current.permissionsBoundary} also limits this role`);
  const currentDoc = combine(current);
  return {
    role: principal,
    account: current.account || (principal.split(':')[4] ?? ''),
    name: current.name,
    file: current.file,
    actions,
    counts,
    risk: { before: findRisks(allows, (a) => grants.get(a)?.star === true), after: documentRisks(proposed) },
    current: currentDoc,
    proposed,
    changed: differ(currentDoc, proposed),
    notes,
  };
}

/** Whether two documents mean different things; statement order and Sids do not count. */
function differ(a: PolicyDocument, b: PolicyDocument): boolean {
  // Statements are compared one for one, so a different count is a difference.
  return a.Statement.length !== b.Statement.length || JSON.stringify(normalizeDoc(a)) !== JSON.stringify(normalizeDoc(b));
}

/** A document's meaning for change detection: statement order and Sids do not count. */
function normalizeDoc(doc: PolicyDocument): string[] {
  return doc.Statement.map((s) => {
    const { Sid: _, ...rest } = s;
    const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : [v].flat().sort());
    return JSON.stringify(canonicalize({ ...rest, Action: list(rest.Action), NotAction: list(rest.NotAction), Resource: list(rest.Resource), NotResource: list(rest.NotResource) }));
  }).sort();
}
