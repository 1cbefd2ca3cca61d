import { TailorError } from '../errors.js';
import type { FunctionConfig } from './function-config.js';
import { commonPrefix, cutToSeparator, scopeOf } from './scope.js';

/**
 * Usage — the central artifact: what each principal did, per IAM action and resource, over an
 * observation window. Plain JSON. `mergeUsage` is associative and commutative, so shards of a
 * trail can be profiled apart (workers, machines, Athena) and combined.
 */
export const USAGE_SCHEMA = 'iam-tailor/usage';
export const USAGE_SCHEMA_VERSION = 1;

export interface Observation {
  count: number;
  first: string;
  last: string;
  /** Session names (function names) that made the calls, sorted. */
  sessions: string[];
  /** Services that made the call with the principal's permissions (`invokedBy`), sorted. */
  via?: string[];
  /** For implied permissions: the actions whose calls implied them, sorted. */
  impliedBy?: string[];
  /**
   * Set on a `<prefix>*` entry that stands for more than RESOURCE_CAP distinct resources of one
   * scope (bucket, table, log group, account): the Usage keeps their common prefix, not each one.
   */
  folded?: true;
}

/**
 * Distinct exact resources kept per action and scope. Past it they fold into their common
 * prefix, so the Usage grows with what roles touch, not with how many objects they touch.
 * Policies fold far earlier (--threshold, default 20), so this never changes one.
 */
export const RESOURCE_CAP = 256;

/** action → resource → observation */
export type ActionMap = Record<string, Record<string, Observation>>;

export interface PrincipalUsage {
  account: string;
  /** Role name without path. */
  name: string;
  path: string;
  sessions: Record<string, { count: number; first: string; last: string }>;
  /** Allowed by the successful calls. */
  actions: ActionMap;
  /** Needed by successful calls without being their own event (iam:PassRole, tag-on-create). */
  implied: ActionMap;
  /** Attempted and refused (AccessDenied and kin). */
  denied: ActionMap;
  /** Failed for other reasons (throttling, validation): attempted, not proven allowed. */
  failed: ActionMap;
  /** `eventSource:eventName` → observation (resource `-`), for events no rule maps. */
  unmapped: Record<string, Observation>;
  /** Documented dependencies a record cannot show: action → the calls that list them. */
  possible: Record<string, string[]>;
  /** Calls that need no permission (`sts:GetCallerIdentity`): `source:name` → count. */
  permissionless: Record<string, number>;
}

export interface Coverage {
  /** Where the events came from: `files`, `lookup-events`, `athena`. */
  sources: string[];
  /** Event sources seen with data events (a trail that records none shows none). */
  dataEventSources: string[];
  managementEvents: boolean;
}

export interface InputStats {
  files: number;
  records: number;
  /** Records that were not a role's API call, by reason. */
  skipped: Record<string, number>;
  /** Files and records that could not be read. */
  problems: number;
  duplicates: number;
}

export interface Usage {
  schema: typeof USAGE_SCHEMA;
  schemaVersion: typeof USAGE_SCHEMA_VERSION;
  window: { first: string; last: string } | null;
  coverage: Coverage;
  input: InputStats;
  principals: Record<string, PrincipalUsage>;
  /** Files already profiled into this Usage (for `--resume`), sorted. */
  files: string[];
  /** Lambda function configurations by function name (`profile --functions`): platform needs. */
  functions?: Record<string, FunctionConfig>;
}

export function emptyUsage(): Usage {
  return {
    schema: USAGE_SCHEMA,
    schemaVersion: USAGE_SCHEMA_VERSION,
    window: null,
    coverage: { sources: [], dataEventSources: [], managementEvents: false },
    input: { files: 0, records: 0, skipped: {}, problems: 0, duplicates: 0 },
    principals: {},
    files: [],
  };
}

export function emptyPrincipal(arn: string): PrincipalUsage {
  const m = /^arn:[^:]+:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/.exec(arn);
  return {
    account: m?.[1] ?? arn.split(':')[4] ?? '',
    name: m?.[3] ?? arn,
    path: m?.[2] ?? '/',
    sessions: {},
    actions: {},
    implied: {},
    denied: {},
    failed: {},
    unmapped: {},
    possible: {},
    permissionless: {},
  };
}

const min = (a: string, b: string): string => (a < b ? a : b);
const max = (a: string, b: string): string => (a > b ? a : b);

function insertSorted(list: string[], value: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid] as string;
    if (v === value) return;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function unionSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x as string);
      i++;
    } else if (x === undefined || y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  return out;
}

interface ScopeIndex {
  /** scope → distinct exact resources seen in it */
  readonly counts: Map<string, number>;
  /** scope → the key of its folded entry */
  readonly folded: Map<string, string>;
}
const scopeIndexes = new WeakMap<Record<string, Observation>, ScopeIndex>();

function indexOf(byResource: Record<string, Observation>): ScopeIndex {
  let ix = scopeIndexes.get(byResource);
  if (!ix) {
    ix = { counts: new Map(), folded: new Map() };
    for (const [r, o] of Object.entries(byResource)) {
      const scope = scopeOf(r);
      if (o.folded) ix.folded.set(scope, r);
      else ix.counts.set(scope, (ix.counts.get(scope) ?? 0) + 1);
    }
    scopeIndexes.set(byResource, ix);
  }
  return ix;
}

/** Replaces every entry of one scope (and `extra`, if given) by their common-prefix entry. */
function foldScope(byResource: Record<string, Observation>, scope: string, extra?: [string, Observation]): void {
  const members = Object.keys(byResource).filter((r) => scopeOf(r) === scope);
  const keys = members.map((r) => (byResource[r]?.folded ? r.slice(0, -1) : r));
  if (extra) keys.push(extra[0]);
  const into = `${cutToSeparator(commonPrefix(keys), scope)}*`;
  let merged: Observation | undefined = extra?.[1];
  for (const r of members) {
    const o = byResource[r] as Observation;
    merged = merged ? mergeObservation(merged, o) : o;
    delete byResource[r];
  }
  if (!merged) return;
  const { folded: _, ...rest } = merged;
  const prev = byResource[into];
  byResource[into] = { ...(prev ? mergeObservation(prev, rest) : rest), folded: true };
  const ix = indexOf(byResource);
  ix.counts.delete(scope);
  ix.folded.set(scope, into);
}

/** How many calls an observation stands for, and when: one event, or an aggregated row. */
export interface Span {
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

export const once = (time: string): Span => ({ count: 1, first: time, last: time });

/** Records one observation of (action, resource) into an ActionMap. */
export function observe(map: ActionMap, action: string, resource: string, span: Span, session: string, via?: string, impliedBy?: string): void {
  const byResource = (map[action] ??= {});
  const obs = byResource[resource];
  if (!obs) {
    const fresh: Observation = { count: span.count, first: span.first, last: span.last, sessions: [session] };
    if (via) fresh.via = [via];
    if (impliedBy) fresh.impliedBy = [impliedBy];
    const ix = indexOf(byResource);
    const scope = scopeOf(resource);
    const folded = ix.folded.get(scope);
    if (folded !== undefined) {
      // Absorb into the scope's folded entry (in place: this is the hot path of busy buckets).
      const into = byResource[folded] as Observation;
      if (resource.startsWith(folded.slice(0, -1))) record(into, span, session, via, impliedBy);
      else foldScope(byResource, scope, [resource, fresh]);
      return;
    }
    byResource[resource] = fresh;
    const n = (ix.counts.get(scope) ?? 0) + 1;
    ix.counts.set(scope, n);
    if (n > RESOURCE_CAP) foldScope(byResource, scope);
    return;
  }
  record(obs, span, session, via, impliedBy);
}

function record(obs: Observation, span: Span, session: string, via?: string, impliedBy?: string): void {
  obs.count += span.count;
  if (span.first < obs.first) obs.first = span.first;
  if (span.last > obs.last) obs.last = span.last;
  insertSorted(obs.sessions, session);
  if (via) insertSorted((obs.via ??= []), via);
  if (impliedBy) insertSorted((obs.impliedBy ??= []), impliedBy);
}

/** Applies the cap to a merged map: a scope with a folded entry or too many resources folds whole. */
function capScopes(byResource: Record<string, Observation>): Record<string, Observation> {
  const counts = new Map<string, number>();
  const fold = new Set<string>();
  for (const [r, o] of Object.entries(byResource)) {
    const scope = scopeOf(r);
    if (o.folded) fold.add(scope);
    const n = (counts.get(scope) ?? 0) + (o.folded ? 0 : 1);
    counts.set(scope, n);
    if (n > RESOURCE_CAP) fold.add(scope);
  }
  for (const scope of fold) foldScope(byResource, scope);
  return byResource;
}

function mergeObservation(a: Observation, b: Observation): Observation {
  const out: Observation = { count: a.count + b.count, first: min(a.first, b.first), last: max(a.last, b.last), sessions: unionSorted(a.sessions, b.sessions) };
  if (a.folded || b.folded) out.folded = true;
  if (a.via || b.via) out.via = unionSorted(a.via ?? [], b.via ?? []);
  if (a.impliedBy || b.impliedBy) out.impliedBy = unionSorted(a.impliedBy ?? [], b.impliedBy ?? []);
  return out;
}

function mergeRecords<T>(a: Record<string, T>, b: Record<string, T>, f: (x: T, y: T) => T): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : f(prev, v);
  }
  return out;
}

const mergeActionMaps = (a: ActionMap, b: ActionMap): ActionMap => mergeRecords(a, b, (x, y) => capScopes(mergeRecords(x, y, mergeObservation)));
const sum = (x: number, y: number): number => x + y;

function mergePrincipal(a: PrincipalUsage, b: PrincipalUsage): PrincipalUsage {
  return {
    account: a.account,
    name: a.name,
    path: a.path,
    sessions: mergeRecords(a.sessions, b.sessions, (x, y) => ({ count: x.count + y.count, first: min(x.first, y.first), last: max(x.last, y.last) })),
    actions: mergeActionMaps(a.actions, b.actions),
    implied: mergeActionMaps(a.implied, b.implied),
    denied: mergeActionMaps(a.denied, b.denied),
    failed: mergeActionMaps(a.failed, b.failed),
    unmapped: mergeRecords(a.unmapped, b.unmapped, mergeObservation),
    possible: mergeRecords(a.possible, b.possible, unionSorted),
    permissionless: mergeRecords(a.permissionless, b.permissionless, sum),
  };
}

/** Combines two Usages; neither argument is modified. Associative and commutative. */
export function mergeUsage(a: Usage, b: Usage): Usage {
  const window = a.window && b.window ? { first: min(a.window.first, b.window.first), last: max(a.window.last, b.window.last) } : (a.window ?? b.window);
  return {
    schema: USAGE_SCHEMA,
    schemaVersion: USAGE_SCHEMA_VERSION,
    window: window ? { ...window } : null,
    coverage: {
      sources: unionSorted(a.coverage.sources, b.coverage.sources),
      dataEventSources: unionSorted(a.coverage.dataEventSources, b.coverage.dataEventSources),
      managementEvents: a.coverage.managementEvents || b.coverage.managementEvents,
    },
    input: {
      files: a.input.files + b.input.files,
      records: a.input.records + b.input.records,
      skipped: mergeRecords(a.input.skipped, b.input.skipped, sum),
      problems: a.input.problems + b.input.problems,
      duplicates: a.input.duplicates + b.input.duplicates,
    },
    principals: mergeRecords(a.principals, b.principals, mergePrincipal),
    files: unionSorted(a.files, b.files),
    ...(a.functions || b.functions
      ? { functions: mergeRecords(a.functions ?? {}, b.functions ?? {}, (x, y) => (JSON.stringify(canonicalize(x)) <= JSON.stringify(canonicalize(y)) ? x : y)) }
      : {}),
  };
}

/** Deep copy with every object's keys sorted: the form that reaches a file. */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonicalize) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonicalize((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

/** Sorted keys, except that the schema comes first so a reader can tell the file at a glance. */
export function serializeUsage(u: Usage): string {
  const { schema, schemaVersion, ...rest } = canonicalize(u);
  return `${JSON.stringify({ schema, schemaVersion, ...rest }, null, 2)}\n`;
}

/** Parses and checks a Usage file's envelope (schema and version); names the file on error. */
export function parseUsage(text: string, file: string): Usage {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TailorError('bad-usage-file', `not JSON: ${(e as Error).message}`, { file });
  }
  const u = v as Partial<Usage> | null;
  if (!u || u.schema !== USAGE_SCHEMA) throw new TailorError('bad-usage-file', `not an iam-tailor usage file (schema is not "${USAGE_SCHEMA}")`, { file });
  if (u.schemaVersion !== USAGE_SCHEMA_VERSION) {
    throw new TailorError('bad-usage-file', `usage schema version ${String(u.schemaVersion)} is not supported (this iam-tailor reads ${USAGE_SCHEMA_VERSION})`, { file });
  }
  if (!u.principals || typeof u.principals !== 'object') throw new TailorError('bad-usage-file', 'usage file has no principals', { file });
  return { ...emptyUsage(), ...u } as Usage;
}

export function isUsageText(text: string): boolean {
  return text.slice(0, 4096).includes(`"${USAGE_SCHEMA}"`);
}
