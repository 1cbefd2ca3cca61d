/**
 * Call: one CloudTrail record reduced to what the profiler needs. Everything else in the raw
 * record (user agents, IPs, TLS details, response elements) is dropped here, at once.
 */
import { bounded } from '../memo.js';

export interface Call {
  /** The role ARN with its path (`sessionContext.sessionIssuer.arn`). */
  readonly principal: string;
  readonly account: string;
  /** Session name: the function name for Lambda execution roles. */
  readonly session: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventId: string | undefined;
  /** ISO time, second precision, `Z`. */
  readonly time: string;
  readonly region: string;
  readonly partition: string;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** A service that made the call with the principal's own permissions (`invokedBy`). */
  readonly invokedBy: string | undefined;
  /** True for data events (`managementEvent: false`). */
  readonly dataEvent: boolean;
  readonly requestParameters: Readonly<Record<string, unknown>> | undefined;
  readonly resources: readonly RecordResource[];
  /** Host the client addressed, when CloudTrail recorded it (tells S3 Outposts apart). */
  readonly host: string | undefined;
}

export interface RecordResource {
  readonly type: string | undefined;
  readonly arn: string | undefined;
  readonly arnPrefix: string | undefined;
}

/** Why a record produced no Call. */
export type SkipReason =
  | 'not-a-role'
  | 'aws-service'
  | 'not-an-api-call'
  | 'malformed';

export type Normalized = { readonly call: Call } | { readonly skip: SkipReason; readonly detail?: string };

const NO_RESOURCES: readonly RecordResource[] = Object.freeze([]);
const NON_CALL_EVENT_TYPES = new Set(['AwsServiceEvent', 'AwsConsoleSignIn', 'AwsConsoleAction', 'AwsCloudTrailInsight', 'AwsVpceEvent']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

// Checked character by character: cheaper than a regex, and it runs once per record.
const ISO_SHAPE = 'dddd-dd-ddTdd:dd:ddZ';
function hasIsoShape(v: string): boolean {
  if (v.length !== 20) return false;
  for (let i = 0; i < 20; i++) {
    const c = v.charCodeAt(i);
    const want = ISO_SHAPE.charCodeAt(i);
    if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}

const twoDigits = (v: string, at: number): number => (v.charCodeAt(at) - 48) * 10 + v.charCodeAt(at + 1) - 48;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Every field in range: a real moment, as CloudTrail writes one. */
function inRange(v: string): boolean {
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  if (month < 1 || month > 12 || day < 1 || twoDigits(v, 11) > 23 || twoDigits(v, 14) > 59 || twoDigits(v, 17) > 59) return false;
  if (day <= (DAYS_IN_MONTH[month] as number)) return true;
  const year = twoDigits(v, 0) * 100 + twoDigits(v, 2);
  return month === 2 && day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** CloudTrail writes `2026-10-01T12:00:00Z`; keep that form whatever the input's precision. */
export function isoSecond(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  // Date.parse would roll 2026-02-30 over into March: CloudTrail's form is checked by range.
  if (hasIsoShape(v)) return inRange(v) ? v : undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? secondsIso(new Date(ms)) : undefined;
}

/** A Date in CloudTrail's form, `2026-10-01T12:00:00Z`. */
export const secondsIso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Reduces one raw record to a Call, or says why it is not one. Never throws. */
export function normalize(raw: unknown): Normalized {
  const r = obj(raw);
  if (!r) return { skip: 'malformed', detail: 'record is not an object' };
  const eventType = str(r.eventType);
  if (eventType !== undefined && NON_CALL_EVENT_TYPES.has(eventType)) return { skip: 'not-an-api-call', detail: eventType };
  if (r.eventCategory === 'NetworkActivity' || r.eventCategory === 'Insight') return { skip: 'not-an-api-call', detail: String(r.eventCategory) };
  const eventSource = str(r.eventSource);
  const eventName = str(r.eventName);
  if (!eventSource) return { skip: 'malformed', detail: 'missing eventSource' };
  if (!eventName) return { skip: 'malformed', detail: 'missing eventName' };
  const time = isoSecond(r.eventTime);
  if (!time) return { skip: 'malformed', detail: 'eventTime is not a date' };
  const id = obj(r.userIdentity);
  if (!id) return { skip: 'malformed', detail: 'userIdentity is not an object' };
  const type = str(id.type);
  if (type === 'AWSService') return { skip: 'aws-service', detail: str(id.invokedBy) };
  if (type !== 'AssumedRole') return { skip: 'not-a-role', detail: type };
  const issuer = obj(obj(id.sessionContext)?.sessionIssuer);
  const principal = str(issuer?.arn);
  const role = principal === undefined ? undefined : roleFacts(principal);
  if (!principal || !role) return { skip: 'malformed', detail: 'no role in sessionContext.sessionIssuer' };
  const session = sessionName(str(id.arn), str(id.principalId));
  const region = str(r.awsRegion) ?? 'us-east-1';
  const params = obj(r.requestParameters);
  let resources: readonly RecordResource[] = NO_RESOURCES;
  if (Array.isArray(r.resources) && r.resources.length) {
    const list: RecordResource[] = [];
    for (const x of r.resources) {
      const o = obj(x);
      if (o) list.push({ type: str(o.type), arn: str(o.ARN), arnPrefix: str(o.ARNPrefix) });
    }
    resources = list;
  }
  return {
    call: {
      principal,
      account: role.account,
      session,
      eventSource,
      eventName,
      eventId: str(r.eventID),
      time,
      region,
      partition: role.partition,
      errorCode: str(r.errorCode),
      errorMessage: str(r.errorMessage),
      invokedBy: str(id.invokedBy),
      dataEvent: r.managementEvent === false || r.eventCategory === 'Data',
      requestParameters: params,
      resources,
      host: str(obj(r.tlsDetails)?.clientProvidedHostHeader) ?? str(params?.Host),
    },
  };
}

// A trail names few roles and sessions, millions of times: their parsing is cached (bounded).
const CACHE_LIMIT = 100_000;
const sessionCache = new Map<string, string>();

const roleFactsOrNull = bounded(CACHE_LIMIT, (arn: string): { account: string; partition: string } | null => {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\//.exec(arn);
  return m ? { account: m[2] as string, partition: m[1] as string } : null;
});
const roleFacts = (arn: string): { account: string; partition: string } | undefined => roleFactsOrNull(arn) ?? undefined;

/** `arn:aws:sts::1:assumed-role/Role/Session` → `Session`; falls back to `principalId`'s tail. */
function sessionName(arn: string | undefined, principalId: string | undefined): string {
  if (arn) {
    const cached = sessionCache.get(arn);
    if (cached !== undefined) return cached;
    const m = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
    if (m?.[1]) {
      if (sessionCache.size >= CACHE_LIMIT) sessionCache.clear();
      sessionCache.set(arn, m[1]);
      return m[1];
    }
  }
  if (principalId) {
    const i = principalId.indexOf(':');
    if (i >= 0 && i < principalId.length - 1) return principalId.slice(i + 1);
  }
  return '(unknown)';
}
