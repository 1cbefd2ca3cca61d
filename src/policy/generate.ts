import type { ActionMap, PrincipalUsage, Usage } from '../profile/usage.js';
import { stableSid, type PolicyDocument, type PolicyStatement } from './document.js';
import { generalize, type Fold } from './generalize.js';

export interface GenerateOptions {
  /** Exact resources per action before they are folded to a common prefix. */
  readonly threshold?: number;
  /** One policy per session (function) instead of one per role. */
  readonly perFunction?: boolean;
  /** Also grant what was denied (off: denied attempts are reported, never granted). */
  readonly grantDenied?: boolean;
}

export interface GeneratedPolicy {
  /** Role ARN the policy is for. */
  readonly principal: string;
  readonly account: string;
  readonly role: string;
  /** Session (function) name with `perFunction`. */
  readonly session?: string;
  readonly document: PolicyDocument;
  readonly folds: readonly Fold[];
}

export const DEFAULT_THRESHOLD = 20;

/** action → resources, from the observations that pass `keep`. */
function collect(maps: readonly ActionMap[], keep: (sessions: readonly string[]) => boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const map of maps) {
    for (const [action, byResource] of Object.entries(map)) {
      for (const [resource, obs] of Object.entries(byResource)) {
        if (!keep(obs.sessions)) continue;
        const list = out.get(action);
        if (list) list.push(resource);
        else out.set(action, [resource]);
      }
    }
  }
  return out;
}

/** Statements grouped per service by identical resource lists, in a stable order. */
export function buildDocument(grants: ReadonlyMap<string, readonly string[]>): PolicyDocument {
  const groups = new Map<string, { service: string; actions: string[]; resources: string[] }>();
  for (const action of [...grants.keys()].sort()) {
    const resources = [...(grants.get(action) ?? [])].sort();
    const service = action.split(':')[0] as string;
    const key = `${service}\n${resources.join('\n')}`;
    const g = groups.get(key);
    if (g) g.actions.push(action);
    else groups.set(key, { service, actions: [action], resources });
  }
  const statements: PolicyStatement[] = [...groups.values()]
    .sort((a, b) => cmp(a.actions[0] as string, b.actions[0] as string) || cmp(a.resources.join('\n'), b.resources.join('\n')))
    .map((g) => ({
      Sid: stableSid(g.service, g.actions, g.resources),
      Effect: 'Allow',
      Action: g.actions.length === 1 ? (g.actions[0] as string) : g.actions,
      Resource: g.resources.length === 1 ? (g.resources[0] as string) : g.resources,
    }));
  return { Version: '2012-10-17', Statement: statements };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** action → the resources to grant it on, generalized, from what the principal did. */
export function grantsOf(p: PrincipalUsage, opts: GenerateOptions, session?: string): { grants: Map<string, string[]>; folds: Fold[] } {
  const keep = session === undefined ? () => true : (sessions: readonly string[]) => sessions.includes(session);
  const maps = [p.actions, p.implied, ...(opts.grantDenied ? [p.denied] : [])];
  const grants = new Map<string, string[]>();
  const folds: Fold[] = [];
  for (const [action, resources] of collect(maps, keep)) {
    const g = generalize(action, resources, opts.threshold ?? DEFAULT_THRESHOLD);
    grants.set(action, g.resources);
    folds.push(...g.folds);
  }
  return { grants, folds };
}

function policyFor(p: PrincipalUsage, arn: string, opts: GenerateOptions, session?: string): GeneratedPolicy | undefined {
  const { grants, folds } = grantsOf(p, opts, session);
  if (grants.size === 0) return undefined;
  return { principal: arn, account: p.account, role: p.name, session, document: buildDocument(grants), folds };
}

/** One least-privilege policy per role (or per role and function) that made successful calls. */
export function generatePolicies(usage: Usage, opts: GenerateOptions = {}): GeneratedPolicy[] {
  const out: GeneratedPolicy[] = [];
  for (const arn of Object.keys(usage.principals).sort()) {
    const p = usage.principals[arn] as PrincipalUsage;
    const sessions = Object.keys(p.sessions).sort();
    if (opts.perFunction && sessions.length > 1) {
      for (const s of sessions) {
        const g = policyFor(p, arn, opts, s);
        if (g) out.push(g);
      }
    } else {
      const g = policyFor(p, arn, opts);
      if (g) out.push(g);
    }
  }
  return out;
}
