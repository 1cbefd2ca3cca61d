import { isAscii, isUtf8 } from 'node:buffer';
import { gunzipSync, type ZlibOptions } from 'node:zlib';
import { TailorError, type Problem } from '../errors.js';
import { scanRecords } from './scan.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const BOM = 0xfeff;

const isGzip = (raw: Uint8Array): boolean => raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1];

// Deflate cannot expand more than ~1032:1, which bounds what a lying gzip trailer can ask for.
const MAX_DEFLATE_RATIO = 1032;

/**
 * One output chunk as large as the gzip trailer says the text is (ISIZE, the size mod 2^32),
 * so that zlib writes the text once instead of in 16 KB pieces joined by a copy (measured:
 * ~15% less CPU for gunzip and decode). The output is right whatever the trailer says.
 */
function inflateOptions(raw: Buffer): ZlibOptions {
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  return { chunkSize: Math.max(Math.min(isize + 1024, raw.length * MAX_DEFLATE_RATIO, 64 * 1024 * 1024), 16 * 1024) };
}

/** Gunzips when the bytes say gzip, whatever the file is called. */
export function inflate(raw: Buffer, file: string): Buffer {
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw, inflateOptions(raw));
  } catch (e) {
    throw new TailorError('bad-gzip', `cannot gunzip: ${(e as Error).message}`, { file });
  }
}

/**
 * A whole file's records. CloudTrail logs are nearly always ASCII: then the native scanner, when
 * built, reads them, and a one-byte string makes JSON.parse faster too. Otherwise the text is
 * decoded as UTF-8 (dropping a BOM), invalid bytes replaced and reported, not fatal.
 */
export function fileRecords(bytes: Buffer, file: string, onProblem: (p: Problem) => void, wholeRecords = false): { records: unknown[]; shapes?: Int32Array; complete?: (index: number) => unknown; chars: number } {
  if (isAscii(bytes)) {
    const scanned = wholeRecords ? undefined : scanRecords(bytes);
    if (scanned) return { ...scanned, chars: bytes.length };
    return { records: parseRecords(bytes.toString('latin1'), file, onProblem), chars: bytes.length };
  }
  if (!isUtf8(bytes)) onProblem({ code: 'bad-encoding', message: 'invalid UTF-8; undecodable bytes replaced', place: { file } });
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  return { records: parseRecords(text, file, onProblem), chars: text.length };
}

/**
 * The record formats users hand us: CloudTrail's `{"Records": [...]}`, the output of
 * `aws cloudtrail lookup-events` (`{"Events": [{"CloudTrailEvent": "<json>"}]}`), a bare array,
 * and JSON Lines (one record, or one lookup-events event, per line).
 */
export function parseRecords(text: string, file: string, onProblem: (p: Problem) => void): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new TailorError('no-records', 'file is empty', { file });

  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (e) {
    wholeError = e as Error;
  }
  if (wholeError === undefined) return fromDocument(whole, file, onProblem);
  if (!trimmed.startsWith('{') || !/\n\s*\{/.test(trimmed)) {
    throw new TailorError('bad-json', `not JSON: ${wholeError.message}`, { file });
  }
  const out: unknown[] = [];
  let line = 0;
  for (const text of trimmed.split('\n')) {
    line++;
    if (!text.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      onProblem({ code: 'bad-json', message: `line ${line} is not JSON: ${(e as Error).message}`, place: { file, record: line } });
      continue;
    }
    out.push(...fromDocument(v, file, onProblem, line));
  }
  return out;
}

function fromDocument(v: unknown, file: string, onProblem: (p: Problem) => void, line?: number): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || typeof v !== 'object') throw new TailorError('no-records', 'JSON is not an object or array of records', { file });
  const doc = v as Record<string, unknown>;
  if ('Records' in doc) {
    if (!Array.isArray(doc.Records)) throw new TailorError('no-records', '"Records" is not an array', { file });
    return doc.Records;
  }
  if ('Events' in doc && Array.isArray(doc.Events)) return doc.Events.map((e, i) => unwrapLookupEvent(e, file, i, onProblem)).filter((r) => r !== undefined);
  if ('CloudTrailEvent' in doc) return [unwrapLookupEvent(doc, file, (line ?? 1) - 1, onProblem)].filter((r) => r !== undefined);
  if ('eventSource' in doc || 'eventName' in doc || 'eventVersion' in doc) return [doc];
  throw new TailorError('no-records', 'no "Records" array (not a CloudTrail log file)', { file });
}

/** lookup-events wraps each record as a JSON string in `CloudTrailEvent`. */
function unwrapLookupEvent(e: unknown, file: string, index: number, onProblem: (p: Problem) => void): unknown {
  const s = (e as { CloudTrailEvent?: unknown } | null)?.CloudTrailEvent;
  if (typeof s !== 'string') return e;
  try {
    return JSON.parse(s);
  } catch (err) {
    onProblem({ code: 'bad-json', message: `CloudTrailEvent is not JSON: ${(err as Error).message}`, place: { file, record: index } });
    return undefined;
  }
}
