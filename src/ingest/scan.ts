import { createRequire } from 'node:module';

/**
 * The native record scanner (native/scan.c): it checks a whole `{"Records": [...]}` file as
 * JSON.parse would and says where the fields `normalize` reads lie, so only those become
 * JavaScript values. Without the addon (no compiler at install, or IAM_TAILOR_SCANNER=js)
 * files take the JSON.parse path, with the same results.
 */

interface Addon {
  scan(bytes: Uint8Array): Int32Array | null;
  readonly slots: number;
  readonly width: number;
}

// Mirrors the enums in native/scan.c.
const K_ABSENT = 0;
const K_STRING = 1;
const K_OBJECT = 4;
const K_RAW = 5;
const SLOTS = 24;
const WIDTH = 4;
const [EVENT_TYPE, EVENT_CATEGORY, EVENT_SOURCE, EVENT_NAME, EVENT_TIME, AWS_REGION, EVENT_ID, ERROR_CODE, ERROR_MESSAGE, MANAGEMENT_EVENT, REQUEST_PARAMETERS, RESOURCES] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const [USER_IDENTITY, UID_TYPE, UID_INVOKED_BY, UID_ARN, UID_PRINCIPAL_ID, UID_SESSION_CONTEXT, SESSION_ISSUER, ISSUER_ARN, TLS_DETAILS, HOST_HEADER, SHAPE] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];

function load(): Addon | undefined {
  if (process.env.IAM_TAILOR_SCANNER === 'js') return undefined;
  try {
    const addon = createRequire(import.meta.url)('../../build/Release/iam_tailor_scan.node') as Addon;
    // A stale build with other slots would misplace every field: better not to use it.
    return addon.slots === SLOTS && addon.width === WIDTH ? addon : undefined;
  } catch {
    return undefined;
  }
}

const addon = load();

// Buffer's own binding behind toString('latin1', start, end), without its argument checks.
interface Latin1Slicing {
  readonly [index: number]: number;
  latin1Slice(start: number, end: number): string;
}

/**
 * How many numbers one generation of the scanner's tables gives (MAX_ENTRIES in native/scan.c):
 * a cache by number this large holds one generation whole.
 */
export const NUMBERS_PER_GENERATION = 8192;

// The strings the scanner numbered (recurring names), one JavaScript string each, by number: a
// direct-mapped cache. Per thread, as the scanner's tables are.
const STRING_CACHE = NUMBERS_PER_GENERATION;
const stringNumbers = new Int32Array(STRING_CACHE).fill(-1);
const strings: string[] = new Array<string>(STRING_CACHE).fill('');

/** Whether files are scanned natively in this process. */
export const nativeScanner = addon !== undefined;

export interface Scanned {
  readonly records: unknown[];
  /** See RecordBatch: a record with a shape (≥ 0) lacks its request until `complete`d. */
  readonly shapes: Int32Array;
  readonly complete: (index: number) => unknown;
}

/**
 * The records of a CloudTrail log file, each holding only the fields `normalize` reads, or
 * undefined when the file must take the JSON.parse path (not that shape, not valid JSON, or no
 * addon). `bytes` must be ASCII.
 */
export function scanRecords(bytes: Buffer): Scanned | undefined {
  const spans = addon?.scan(bytes);
  if (!spans) return undefined;
  const view = bytes as unknown as Latin1Slicing;
  const count = spans.length / (SLOTS * WIDTH);
  const records: unknown[] = new Array(count);
  const shapes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const base = i * SLOTS * WIDTH;
    const shape = spans[base + SHAPE * WIDTH] as number;
    shapes[i] = shape;
    records[i] = record(spans, base, view, shape < 0);
  }
  return { records, shapes, complete: (i) => record(spans, i * SLOTS * WIDTH, view, true) };
}

/**
 * One field's value. Strings are copied out of the bytes one by one: the Usage keeps some
 * (times, names), and a slice of a larger string would keep all of that alive with them.
 */
function value(spans: Int32Array, base: number, slot: number, bytes: Latin1Slicing): unknown {
  const at = base + slot * WIDTH;
  const kind = spans[at + 2];
  if (kind === K_ABSENT) return undefined;
  const start = spans[at] as number;
  const end = spans[at + 1] as number;
  if (kind === K_STRING) {
    const n = spans[at + 3] as number;
    if (n < 0) return bytes.latin1Slice(start + 1, end - 1);
    const cached = n & (STRING_CACHE - 1);
    if (stringNumbers[cached] === n) return strings[cached];
    const made = bytes.latin1Slice(start + 1, end - 1);
    stringNumbers[cached] = n;
    strings[cached] = made;
    return made;
  }
  // managementEvent is a boolean: not worth a JSON.parse each.
  const c = bytes[start];
  if (c === 116 /* t */ && end - start === 4) return true;
  if (c === 102 /* f */ && end - start === 5) return false;
  if (c === 110 /* n */ && end - start === 4) return null;
  return JSON.parse(bytes.latin1Slice(start, end));
}

const isObject = (spans: Int32Array, base: number, slot: number): boolean => spans[base + slot * WIDTH + 2] === K_OBJECT;

function record(spans: Int32Array, base: number, bytes: Latin1Slicing, withRequest: boolean): unknown {
  if (spans[base + 2] === K_RAW) return JSON.parse(bytes.latin1Slice(spans[base] as number, spans[base + 1] as number));
  let userIdentity: unknown;
  if (isObject(spans, base, USER_IDENTITY)) {
    let sessionContext: unknown;
    if (isObject(spans, base, UID_SESSION_CONTEXT)) {
      const issuer = isObject(spans, base, SESSION_ISSUER) ? { arn: value(spans, base, ISSUER_ARN, bytes) } : value(spans, base, SESSION_ISSUER, bytes);
      sessionContext = { sessionIssuer: issuer };
    } else sessionContext = value(spans, base, UID_SESSION_CONTEXT, bytes);
    userIdentity = {
      type: value(spans, base, UID_TYPE, bytes),
      invokedBy: value(spans, base, UID_INVOKED_BY, bytes),
      arn: value(spans, base, UID_ARN, bytes),
      principalId: value(spans, base, UID_PRINCIPAL_ID, bytes),
      sessionContext,
    };
  } else userIdentity = value(spans, base, USER_IDENTITY, bytes);
  const tlsDetails = isObject(spans, base, TLS_DETAILS) ? { clientProvidedHostHeader: value(spans, base, HOST_HEADER, bytes) } : value(spans, base, TLS_DETAILS, bytes);
  return {
    eventType: value(spans, base, EVENT_TYPE, bytes),
    eventCategory: value(spans, base, EVENT_CATEGORY, bytes),
    eventSource: value(spans, base, EVENT_SOURCE, bytes),
    eventName: value(spans, base, EVENT_NAME, bytes),
    eventTime: value(spans, base, EVENT_TIME, bytes),
    awsRegion: value(spans, base, AWS_REGION, bytes),
    eventID: value(spans, base, EVENT_ID, bytes),
    errorCode: value(spans, base, ERROR_CODE, bytes),
    errorMessage: value(spans, base, ERROR_MESSAGE, bytes),
    managementEvent: value(spans, base, MANAGEMENT_EVENT, bytes),
    requestParameters: withRequest ? value(spans, base, REQUEST_PARAMETERS, bytes) : undefined,
    resources: withRequest ? value(spans, base, RESOURCES, bytes) : undefined,
    userIdentity,
    tlsDetails,
  };
}
