import table from './rules/event-actions.json' with { type: 'json' };
import { apiGatewayNeed } from './apigateway.js';
import type { Call } from './call.js';
import type { Catalog, CatalogAction, CatalogResourceType } from './catalog.js';
import { evaluate, UNSHOWABLE, type Verdict, type When } from './conditions.js';
import { normalizeEventName, prefixFor, prefixRuleSource } from './prefix.js';
import { callCandidates, resourcesFor } from './resources.js';

type ActionList = readonly (readonly [string, string])[];
interface TableEntry {
  readonly actions?: ActionList;
  readonly none?: string;
  readonly from: string;
  readonly variants?: Readonly<Record<string, { readonly actions: ActionList; readonly from: string }>>;
}
const EVENTS = table.events as unknown as Readonly<Record<string, Readonly<Record<string, TableEntry>>>>;

/** One permission a call needed. */
export interface Need {
  readonly action: string;
  readonly resources: readonly string[];
  /** Needed by the call but never its own event (iam:PassRole, tag-on-create, …). */
  readonly implied: boolean;
}

export type Mapping =
  | {
      readonly kind: 'mapped';
      readonly needs: readonly Need[];
      /** Documented dependencies whose condition the record cannot show: reported, not granted. */
      readonly possible: readonly string[];
      readonly rule: string;
    }
  | { readonly kind: 'none'; readonly reason: string; readonly rule: string }
  | { readonly kind: 'unmapped'; readonly reason: string; readonly rule: string };

interface Resolved {
  readonly eventSource: string;
  readonly eventName: string;
  readonly prefix: string;
  readonly name: string;
  readonly entry: TableEntry | undefined;
  readonly prefixes: readonly string[];
  /** Set once every prefix is loaded (loads are never undone), so the check stops costing. */
  loaded: boolean;
  /** variant key ('' for the plain rule) → plan */
  readonly plans: Map<string, Plan>;
}

interface Step {
  readonly name: string;
  /** Undefined when the catalog lacks the action: needing it leaves the event unmapped. */
  readonly action: CatalogAction | undefined;
  readonly when: When;
  readonly keys: ReadonlySet<string>;
  readonly implied: boolean;
}

interface Plan {
  readonly steps: readonly Step[];
  readonly possible: readonly string[];
  readonly rule: string;
  readonly types: readonly CatalogResourceType[];
  readonly servicePrefix: string;
  readonly copies: boolean;
}

const ALWAYS: Verdict = { needed: true };
const NONE: readonly string[] = Object.freeze([]);
// Conditions that pick which of the call's own actions apply, rather than adding another.
const PART_OF_CALL: ReadonlySet<When> = new Set(['statement-verb', 'transact-item', 'copy-source']);

function sourceOfCopy(call: Call): string[] {
  const v = evaluate('copy-source', 's3:GetObject', call);
  return v.needed ? [...(v.resources ?? [])] : [];
}

// Events that need no permission whatever the table says: the general rules of unlogged.md §4.
const UNSIGNED_SOURCES = new Set(['sso.amazonaws.com', 'sso-oauth.amazonaws.com', 'cognito-identity.amazonaws.com']);

/** Maps Calls to IAM actions and resources with the project's rule tables and the catalog. */
export class Mapper {
  // eventSource → eventName → resolution: two short-key lookups per record, no concatenation.
  private readonly resolved = new Map<string, Map<string, Resolved>>();
  private last: Resolved | undefined;

  constructor(private readonly catalog: Catalog) {}

  /** Catalog services this call's mapping needs that are not loaded yet. */
  missingPrefixes(call: Call): readonly string[] {
    const r = this.resolve(call.eventSource, call.eventName);
    if (r.loaded) return NONE;
    const missing = r.prefixes.filter((p) => !this.catalog.isLoaded(p));
    r.loaded = missing.length === 0;
    return missing;
  }

  private resolve(eventSource: string, eventName: string): Resolved {
    // The profiler asks twice per call (missingPrefixes, then map): the second is free.
    const last = this.last;
    if (last && last.eventSource === eventSource && last.eventName === eventName) return last;
    let bySource = this.resolved.get(eventSource);
    if (!bySource) this.resolved.set(eventSource, (bySource = new Map()));
    let r = bySource.get(eventName);
    if (!r) {
      const prefix = prefixFor(eventSource);
      const name = normalizeEventName(eventName);
      const table = EVENTS[eventSource];
      const entry = table?.[eventName] ?? table?.[name];
      const listed = [...(entry?.actions ?? []), ...Object.values(entry?.variants ?? {}).flatMap((v) => v.actions)];
      const prefixes = [...new Set([prefix, ...listed.map(([a]) => a.split(':')[0] as string)])];
      r = { eventSource, eventName, prefix, name, entry, prefixes, loaded: false, plans: new Map() };
      bySource.set(eventName, r);
    }
    this.last = r;
    return r;
  }

  /** Event sources whose rule table names this event (or its legacy-suffixed form). */
  sourcesWith(eventName: string): string[] {
    const name = normalizeEventName(eventName);
    return Object.keys(EVENTS)
      .filter((s) => EVENTS[s]?.[eventName] || EVENTS[s]?.[name])
      .sort();
  }

  /** The rule-level answer for an event name, without a record (for `explain`). */
  describe(eventSource: string, eventName: string): { prefix: string; name: string; actions: ActionList; none?: string; from: string; variants?: TableEntry['variants'] } {
    const r = this.resolve(eventSource, eventName);
    if (r.entry?.none) return { prefix: r.prefix, name: r.name, actions: [], none: r.entry.none, from: r.entry.from };
    const actions = r.entry?.actions ?? [[`${r.prefix}:${r.name}`, 'always'] as const];
    return { prefix: r.prefix, name: r.name, actions, from: r.entry?.actions ? r.entry.from : prefixRuleSource(eventSource), variants: r.entry?.variants };
  }

  map(call: Call): Mapping {
    const r = this.resolve(call.eventSource, call.eventName);
    if (r.entry?.none) return { kind: 'none', reason: r.entry.none, rule: r.entry.from };
    if (UNSIGNED_SOURCES.has(call.eventSource) && !r.entry?.actions) {
      return { kind: 'none', reason: 'unsigned call authorized by a token, not by IAM', rule: 'unlogged.md §4 (botocore auth=noAuth)' };
    }
    if (call.eventSource === 'apigateway.amazonaws.com') {
      const api = apiGatewayNeed(call, r.name);
      if (api) return this.checked([{ action: api.action, resources: [api.resource], implied: false }], [], `API Gateway ${api.version} HTTP method on path`);
    }
    const plan = this.plan(r, this.variantKey(call, r));
    const candidates = callCandidates(call, plan.servicePrefix, plan.types);
    const needs: Need[] = [];
    let exclude: ReadonlySet<string> | undefined;
    for (const step of plan.steps) {
      const verdict = step.when === 'always' ? ALWAYS : evaluate(step.when, step.name, call);
      if (!verdict.needed) continue;
      if (!step.action) return { kind: 'unmapped', reason: `${step.name} is not in the IAM catalog`, rule: plan.rule };
      let pool = candidates;
      // A copy reads its source and writes its target: the source object is not the write's resource.
      if (step.when === 'always' && plan.copies) {
        exclude ??= new Set(sourceOfCopy(call));
        if (exclude.size) pool = candidates.filter((c) => !exclude?.has(c.arn));
      }
      const resources = verdict.resources?.length ? verdict.resources : resourcesFor(step.action, pool, call, step.keys);
      needs.push({ action: step.action.id, resources, implied: step.implied });
    }
    if (!needs.length) return { kind: 'unmapped', reason: `no action applies to this ${call.eventName} request`, rule: plan.rule };
    return { kind: 'mapped', needs, possible: plan.possible, rule: plan.rule };
  }

  /** The per-event work done once: catalog lookups, resource types, conditions. */
  private plan(r: Resolved, variantKey: string | undefined): Plan {
    let plan = r.plans.get(variantKey ?? '');
    if (plan) return plan;
    const chosen = variantKey ? r.entry?.variants?.[variantKey] : r.entry?.actions ? { actions: r.entry.actions, from: r.entry.from } : undefined;
    const listed: ActionList = chosen?.actions ?? [[`${r.prefix}:${r.name}`, 'always']];
    const rule = chosen?.from ?? prefixRuleSource(r.eventSource);
    const steps: Step[] = [];
    const possible: string[] = [];
    const types: CatalogResourceType[] = [];
    for (const [actionName, whenText] of listed) {
      const when = whenText as When;
      if (UNSHOWABLE.has(when)) {
        possible.push(actionName);
        continue;
      }
      const action = this.catalog.action(actionName);
      if (action) types.push(...action.resourceTypes);
      steps.push({ name: actionName, action, when, keys: new Set(action?.resourceTypes.map((t) => t.key)), implied: when !== 'always' && !PART_OF_CALL.has(when) });
    }
    const primary = steps.find((x) => x.action)?.action;
    plan = {
      steps,
      possible,
      rule,
      types,
      servicePrefix: primary ? (primary.id.split(':')[0] as string) : r.prefix,
      copies: listed.some(([, w]) => w === 'copy-source'),
    };
    r.plans.set(variantKey ?? '', plan);
    return plan;
  }

  private variantKey(call: Call, r: Resolved): string | undefined {
    const v = r.entry?.variants;
    if (!v) return undefined;
    const outposts = (call.host ?? '').includes('s3-outposts') || call.resources.some((x) => (x.arn ?? '').includes(':s3-outposts:'));
    if (outposts && v.outposts) return 'outposts';
    if (!('bucketName' in (call.requestParameters ?? {})) && v['account-level']) return 'account-level';
    return undefined;
  }

  private checked(needs: readonly Need[], possible: readonly string[], rule: string): Mapping {
    for (const n of needs) {
      if (!this.catalog.action(n.action)) return { kind: 'unmapped', reason: `${n.action} is not in the IAM catalog`, rule };
    }
    return { kind: 'mapped', needs, possible, rule };
  }
}
