import table from './rules/event-actions.json' with { type: 'json' };
import { apiGatewayNeed } from './apigateway.js';
import type { Call } from './call.js';
import type { Catalog, CatalogResourceType } from './catalog.js';
import { evaluate, UNSHOWABLE, type When } from './conditions.js';
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
  readonly prefix: string;
  readonly name: string;
  readonly entry: TableEntry | undefined;
  readonly prefixes: readonly string[];
}

// Events that need no permission whatever the table says: the general rules of unlogged.md §4.
const UNSIGNED_SOURCES = new Set(['sso.amazonaws.com', 'sso-oauth.amazonaws.com', 'cognito-identity.amazonaws.com']);

/** Maps Calls to IAM actions and resources with the project's rule tables and the catalog. */
export class Mapper {
  private readonly resolved = new Map<string, Resolved>();

  constructor(private readonly catalog: Catalog) {}

  /** Catalog services this call's mapping needs that are not loaded yet. */
  missingPrefixes(call: Call): string[] {
    return this.resolve(call.eventSource, call.eventName).prefixes.filter((p) => !this.catalog.isLoaded(p));
  }

  private resolve(eventSource: string, eventName: string): Resolved {
    const k = `${eventSource}\t${eventName}`;
    let r = this.resolved.get(k);
    if (!r) {
      const prefix = prefixFor(eventSource);
      const name = normalizeEventName(eventName);
      const bySource = EVENTS[eventSource];
      const entry = bySource?.[eventName] ?? bySource?.[name];
      const listed = [...(entry?.actions ?? []), ...Object.values(entry?.variants ?? {}).flatMap((v) => v.actions)];
      const prefixes = [...new Set([prefix, ...listed.map(([a]) => a.split(':')[0] as string)])];
      r = { prefix, name, entry, prefixes };
      this.resolved.set(k, r);
    }
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
    const chosen = this.variant(call, r);
    const listed: ActionList = chosen?.actions ?? [[`${r.prefix}:${r.name}`, 'always']];
    const rule = chosen?.from ?? prefixRuleSource(call.eventSource);
    const primary = this.catalog.action(listed[0]?.[0] ?? '');
    const types: CatalogResourceType[] = [];
    for (const [a] of listed) types.push(...(this.catalog.action(a)?.resourceTypes ?? []));
    const candidates = callCandidates(call, primary ? primary.id.split(':')[0] as string : r.prefix, types);
    const needs: Need[] = [];
    const possible: string[] = [];
    for (const [actionName, whenText] of listed) {
      const when = whenText as When;
      if (UNSHOWABLE.has(when)) {
        possible.push(actionName);
        continue;
      }
      const verdict = evaluate(when, actionName, call);
      if (!verdict.needed) continue;
      const action = this.catalog.action(actionName);
      if (!action) return { kind: 'unmapped', reason: `${actionName} is not in the IAM catalog`, rule };
      let pool = candidates;
      // A copy reads its source and writes its target: the source object is not the write's resource.
      if (when === 'always' && listed.some(([, w]) => w === 'copy-source')) {
        const src = evaluate('copy-source', 's3:GetObject', call);
        const exclude = new Set(src.needed ? (src.resources ?? []) : []);
        pool = candidates.filter((c) => !exclude.has(c.arn));
      }
      const resources = verdict.resources?.length ? verdict.resources : resourcesFor(action, pool, call);
      needs.push({ action: action.id, resources, implied: when !== 'always' && !['statement-verb', 'transact-item', 'copy-source'].includes(when) });
    }
    if (!needs.length) {
      return { kind: 'unmapped', reason: `no action applies to this ${call.eventName} request`, rule };
    }
    return this.checked(needs, possible, rule);
  }

  private variant(call: Call, r: Resolved): { actions: ActionList; from: string } | undefined {
    const v = r.entry?.variants;
    if (v) {
      const params = call.requestParameters ?? {};
      const outposts = (call.host ?? '').includes('s3-outposts') || call.resources.some((x) => (x.arn ?? '').includes(':s3-outposts:'));
      if (outposts && v.outposts) return v.outposts;
      if (!('bucketName' in params) && v['account-level']) return v['account-level'];
    }
    return r.entry?.actions ? { actions: r.entry.actions, from: r.entry.from } : undefined;
  }

  private checked(needs: readonly Need[], possible: readonly string[], rule: string): Mapping {
    for (const n of needs) {
      if (!this.catalog.action(n.action)) return { kind: 'unmapped', reason: `${n.action} is not in the IAM catalog`, rule };
    }
    return { kind: 'mapped', needs, possible, rule };
  }
}
