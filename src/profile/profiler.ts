import { TailorError, type Problem } from '../errors.js';
import { NUMBERS_PER_GENERATION } from '../ingest/scan.js';
import type { RecordBatch, Source } from '../ingest/source.js';
import { normalize, type Call } from './call.js';
import type { Catalog } from './catalog.js';
import { accepts, filterNarrows, NO_FILTER, type CallFilter } from './filter.js';
import { EventIdSet } from './event-ids.js';
import { Mapper, type Mapping } from './mapping.js';
import { emptyPrincipal, emptyUsage, observe, type PrincipalUsage, type Span, type Usage } from './usage.js';

export interface ProfileProgress {
  readonly files: number;
  readonly records: number;
  readonly bytes: number;
}

export interface ProfileOptions {
  readonly filter?: CallFilter;
  /** Stop at the first problem instead of skipping and reporting it. */
  readonly strict?: boolean;
  readonly onProblem?: (p: Problem) => void;
  readonly onBatch?: (progress: ProfileProgress) => void;
  readonly signal?: AbortSignal;
}

// errorCode values that mean "authenticated, then refused by authorization".
const DENIED = /^(Client\.)?(AccessDenied(Exception)?|UnauthorizedOperation|AuthorizationError(Exception)?|UnauthorizedException|NotAuthorized(Exception)?|Forbidden(Exception)?|AccessDeniedForDependency(Exception)?)$/;
// EC2 DryRun: the caller holds the permission, the call itself was not made.
const DRY_RUN = /^(Client\.)?DryRunOperation$/;
const DENIAL_MESSAGE = /not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9*]+)(?: on resource: (\S+?))?(?:\s+because|\s*$|\s+with)/;

const SHAPE_CACHE = NUMBERS_PER_GENERATION;

/** Aggregates Calls into a Usage; one instance per shard (a worker, a run). */
export class Profiler {
  readonly usage: Usage = emptyUsage();
  private readonly mapper: Mapper;
  private readonly filter: CallFilter;
  private readonly dataSources = new Set<string>();
  private readonly seen = new EventIdSet();
  private readonly filtering: boolean;
  // The mappings of recent call shapes, a direct-mapped cache: bounded, and a hit is exact
  // because shape numbers are never reused (see native/scan.c).
  private readonly shapeKeys = new Int32Array(SHAPE_CACHE).fill(-1);
  private readonly shapeMappings: Mapping[] = new Array(SHAPE_CACHE);
  // One event's span, rewritten per call: observe copies its fields and never keeps it.
  private readonly single: { count: number; first: string; last: string } = { count: 1, first: '', last: '' };

  constructor(
    private readonly catalog: Catalog,
    filter: CallFilter = NO_FILTER,
    private readonly onProblem: (p: Problem) => void = () => {},
  ) {
    this.mapper = new Mapper(catalog);
    this.filter = filter;
    this.filtering = filterNarrows(filter);
  }

  /**
   * Adds one batch (a file). A call whose catalog services are loaded is profiled at once, so
   * its raw record can be collected; the others wait for one load at the end of the batch.
   */
  async addBatch(batch: RecordBatch, sourceKind: string): Promise<void> {
    let pending: [Call, Span | undefined, number][] | undefined;
    let missing: Set<string> | undefined;
    const records = batch.records;
    const input = this.usage.input;
    input.records += records.length;
    for (let index = 0; index < records.length; index++) {
      const shape = batch.shapes ? (batch.shapes[index] as number) : -1;
      // A record with a shape comes without its request, which only a mapping not known needs.
      const known = shape >= 0 && this.knows(shape);
      const n = normalize(shape >= 0 && !known && batch.complete ? batch.complete(index) : records[index]);
      if ('skip' in n) {
        if (n.skip === 'malformed') this.onProblem({ code: 'bad-record', message: `record skipped: ${n.detail ?? 'malformed'}`, place: { file: batch.origin, record: index } });
        input.skipped[n.skip] = (input.skipped[n.skip] ?? 0) + 1;
        continue;
      }
      const call = n.call;
      if (call.eventId !== undefined && !this.seen.add(call.eventId)) {
        input.duplicates++;
        continue;
      }
      if (this.filtering && !accepts(this.filter, call)) {
        input.skipped['filtered-out'] = (input.skipped['filtered-out'] ?? 0) + 1;
        continue;
      }
      const need = this.mapper.missingPrefixes(call);
      const span = batch.spans?.[index];
      if (need.length === 0 && !pending) {
        this.addCall(call, span, shape);
        continue;
      }
      // Keep the order of calls once one has to wait: the Usage must not depend on load timing.
      // Other calls map before this one, so its shape may be forgotten by then: it goes whole.
      const whole = known && batch.complete ? (normalize(batch.complete(index)) as { call: Call }).call : call;
      (pending ??= []).push([whole, span, shape]);
      missing ??= new Set();
      for (const p of need) missing.add(p);
    }
    if (pending) {
      if (missing?.size) await this.catalog.load(missing);
      for (const [call, span, shape] of pending) this.addCall(call, span, shape);
    }
    if (!batch.partial) input.files++;
    if (!this.usage.coverage.sources.includes(sourceKind)) this.usage.coverage.sources = [...this.usage.coverage.sources, sourceKind].sort();
  }

  private knows(shape: number): boolean {
    return this.shapeKeys[shape & (SHAPE_CACHE - 1)] === shape;
  }

  private mapShape(call: Call, shape: number): Mapping {
    const slot = shape & (SHAPE_CACHE - 1);
    if (this.knows(shape)) return this.shapeMappings[slot] as Mapping;
    const mapping = this.mapper.map(call);
    this.shapeKeys[slot] = shape;
    this.shapeMappings[slot] = mapping;
    return mapping;
  }

  private once(time: string): Span {
    this.single.first = this.single.last = time;
    return this.single;
  }

  recordFile(origin: string): void {
    this.usage.files.push(origin);
  }

  /**
   * Adds one call, or with `span` an aggregate of several (Athena rows). Calls of one `shape`
   * (from the native scanner; -1 for none) share their mapping: a call without its request
   * must come with a shape whose mapping is known.
   */
  addCall(call: Call, given?: Span, shape = -1): void {
    const span = given ?? this.once(call.time);
    const u = this.usage;
    const p = (u.principals[call.principal] ??= emptyPrincipal(call.principal));
    if (!u.window) u.window = { first: span.first, last: span.last };
    else {
      if (span.first < u.window.first) u.window.first = span.first;
      if (span.last > u.window.last) u.window.last = span.last;
    }
    if (call.dataEvent) {
      if (!this.dataSources.has(call.eventSource)) {
        this.dataSources.add(call.eventSource);
        u.coverage.dataEventSources = [...this.dataSources].sort();
      }
    } else u.coverage.managementEvents = true;
    const s = (p.sessions[call.session] ??= { count: 0, first: span.first, last: span.last });
    s.count += span.count;
    if (span.first < s.first) s.first = span.first;
    if (span.last > s.last) s.last = span.last;

    const mapping = shape >= 0 ? this.mapShape(call, shape) : this.mapper.map(call);
    if (mapping.kind === 'none') {
      const key = `${call.eventSource}:${call.eventName}`;
      p.permissionless[key] = (p.permissionless[key] ?? 0) + span.count;
      return;
    }
    const denied = call.errorCode !== undefined && DENIED.test(call.errorCode);
    const failed = call.errorCode !== undefined && !denied && !DRY_RUN.test(call.errorCode);
    if (denied) {
      // The denial message names the exact action and resource that were refused.
      const m = call.errorMessage ? DENIAL_MESSAGE.exec(call.errorMessage) : null;
      const action = m?.[1] && this.catalog.isLoaded(m[1].split(':')[0] as string) ? this.catalog.action(m[1]) : undefined;
      if (action) {
        observe(p.denied, action.id, m?.[2] ?? '*', span, call.session);
        return;
      }
    }
    if (mapping.kind === 'unmapped') {
      addUnmapped(p, `${call.eventSource}:${call.eventName}`, call, span);
      return;
    }
    const target = denied ? p.denied : failed ? p.failed : undefined;
    const primary = mapping.needs[0]?.action;
    for (const need of mapping.needs) {
      const map = target ?? (need.implied ? p.implied : p.actions);
      for (const r of need.resources) observe(map, need.action, r, span, call.session, call.invokedBy, need.implied ? primary : undefined);
    }
    if (!target) {
      for (const a of mapping.possible) {
        const list = (p.possible[a] ??= []);
        if (primary && !list.includes(primary)) {
          list.push(primary);
          list.sort();
        }
      }
    }
  }
}

function addUnmapped(p: PrincipalUsage, key: string, call: Call, span: Span): void {
  const o = p.unmapped[key];
  if (!o) p.unmapped[key] = { count: span.count, first: span.first, last: span.last, sessions: [call.session] };
  else {
    o.count += span.count;
    if (span.first < o.first) o.first = span.first;
    if (span.last > o.last) o.last = span.last;
    if (!o.sessions.includes(call.session)) {
      o.sessions.push(call.session);
      o.sessions.sort();
    }
  }
}

/** Profiles a whole source into a Usage, reporting problems; `strict` stops at the first. */
export async function profileSource(source: Source, catalog: Catalog, options: ProfileOptions = {}): Promise<Usage> {
  let firstProblem: Problem | undefined;
  let problems = 0;
  const onProblem = (p: Problem): void => {
    problems++;
    firstProblem ??= p;
    options.onProblem?.(p);
  };
  const profiler = new Profiler(catalog, options.filter, onProblem);
  let bytes = 0;
  for await (const batch of source.batches(onProblem, options.signal)) {
    if (options.strict && firstProblem) break;
    await profiler.addBatch(batch, source.kind);
    if (source.kind === 'files' && !batch.partial) profiler.recordFile(batch.origin);
    bytes += batch.bytes;
    options.onBatch?.({ files: profiler.usage.input.files, records: profiler.usage.input.records, bytes });
  }
  if (options.strict && firstProblem) throw new TailorError(firstProblem.code, firstProblem.message, firstProblem.place);
  profiler.usage.files.sort();
  profiler.usage.input.problems = problems;
  return profiler.usage;
}
