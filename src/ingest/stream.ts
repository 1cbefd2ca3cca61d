import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { TailorError, type Problem } from '../errors.js';

/**
 * Streams the records of one large `{"Records": [...]}` file (a single line of hundreds of MB)
 * in bounded memory: the bytes are walked as they arrive, each record's bytes are cut out when
 * its braces close and parsed alone, and records leave in small groups.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Records larger than this are skipped and reported: one record may not take the memory. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    await fh.read(b, 0, 2, 0);
    return b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function* streamRecords(path: string, onProblem: (p: Problem) => void, groupSize = 500): AsyncGenerator<unknown[]> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = (await isGzipFile(path)) ? input.pipe(createGunzip()) : input;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let sawRecordsKey = false;
  let inRecords = false;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let capturing = false;
  let tooBig = false;
  let index = 0;
  let keyStart = -1;
  let lastKey = '';
  let group: unknown[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = capturing ? 0 : -1;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i] as number;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (depth === 1 && keyStart >= 0) lastKey = chunk.subarray(keyStart, i).toString('latin1');
            keyStart = -1;
          }
          continue;
        }
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 && !inRecords) keyStart = i + 1;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          depth++;
          if (depth === 2 && c === OPEN_BRACKET && lastKey === 'Records') {
            inRecords = true;
            sawRecordsKey = true;
          } else if (depth === 3 && inRecords && c === OPEN_BRACE) {
            capturing = true;
            tooBig = false;
            parts = [];
            partBytes = 0;
            start = i;
          }
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (depth === 3 && capturing && c === CLOSE_BRACE) {
            const piece = chunk.subarray(start, i + 1);
            if (!tooBig) parts.push(piece);
            const text = tooBig ? '' : Buffer.concat(parts).toString('utf8');
            capturing = false;
            parts = [];
            start = -1;
            if (tooBig) onProblem({ code: 'bad-record', message: `record larger than ${MAX_RECORD_BYTES} bytes; skipped`, place: { file: path, record: index } });
            else {
              try {
                group.push(JSON.parse(text));
              } catch (e) {
                onProblem({ code: 'bad-json', message: `record is not JSON: ${(e as Error).message}`, place: { file: path, record: index } });
              }
            }
            index++;
            if (group.length >= groupSize) {
              yield group;
              group = [];
            }
          }
          if (depth === 2 && inRecords && c === CLOSE_BRACKET) inRecords = false;
          depth--;
        }
      }
      if (capturing && !tooBig) {
        const piece = chunk.subarray(start < 0 ? 0 : start);
        partBytes += piece.length;
        if (partBytes > MAX_RECORD_BYTES) {
          tooBig = true;
          parts = [];
        } else parts.push(Buffer.from(piece));
      }
    }
  } catch (e) {
    throw new TailorError('bad-gzip', `cannot read: ${(e as Error).message}`, { file: path });
  }
  if (group.length) yield group;
  if (!sawRecordsKey) throw new TailorError('no-records', 'no "Records" array (not a CloudTrail log file)', { file: path });
  if (depth !== 0) onProblem({ code: 'bad-json', message: `file ends inside a record or array (truncated after ${index} records)`, place: { file: path } });
}
