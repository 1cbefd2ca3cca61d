import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { opendir, stat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { TailorError, type Problem } from '../errors.js';
import { fileRecords, inflate } from './parse.js';
import { streamRecords } from './stream.js';
import type { RecordBatch, Source, SourceHints } from './source.js';

const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
// AWSLogs/[o-…/]<account>/CloudTrail/<region>/YYYY/MM/DD/…
const S3_KEY = /(?:^|\/)(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})(?:\/|$)/;

export interface FileSourceOptions {
  readonly paths: readonly string[];
  readonly hints?: SourceHints;
  /** Files to leave out (already profiled, for `--resume`). */
  readonly skip?: ReadonlySet<string>;
  /**
   * Records whole, as JSON.parse gives them. By default a file the native scanner reads gives
   * records holding only what the profiler reads (see RecordBatch.shapes), which is faster.
   */
  readonly wholeRecords?: boolean;
}

/** What the S3 delivery layout says about a file before it is opened. */
export function keyFacts(path: string): { account: string; region: string; day: string } | undefined {
  const m = S3_KEY.exec(path.replace(/\\/g, '/'));
  if (!m) return undefined;
  return { account: m[1] as string, region: m[2] as string, day: `${m[3]}-${m[4]}-${m[5]}` };
}

/** True when the file's key shows it cannot hold events inside the hints (date, account, region). */
export function prunedByKey(path: string, hints: SourceHints | undefined): boolean {
  if (!hints) return false;
  const k = keyFacts(path);
  if (!k) return false;
  if (hints.accounts?.length && !hints.accounts.includes(k.account)) return true;
  if (hints.regions?.length && !hints.regions.includes(k.region)) return true;
  // A file is delivered up to ~15 minutes after its last event: allow a day either side.
  const dayStart = Date.parse(`${k.day}T00:00:00Z`);
  if (hints.since && dayStart + 2 * 86_400_000 <= hints.since.getTime()) return true;
  if (hints.until && dayStart - 86_400_000 > hints.until.getTime()) return true;
  return false;
}

/**
 * Finds log files lazily and in a stable order (sorted per directory), following directory
 * symlinks at most once each so a loop cannot trap the walk.
 */
export async function* discoverFiles(paths: readonly string[], onProblem: (p: Problem) => void): AsyncGenerator<string> {
  const visited = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      throw new TailorError('unreadable-file', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p });
    }
    if (st.isDirectory()) yield* walk(p, visited, onProblem);
    else yield p;
  }
}

async function* walk(dir: string, visited: Set<string>, onProblem: (p: Problem) => void): AsyncGenerator<string> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    onProblem({ code: 'unreadable-file', message: `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? ''}`, place: { file: dir } });
    return;
  }
  if (visited.has(real)) {
    onProblem({ code: 'unreadable-file', message: 'directory already visited (symlink loop?); skipped', place: { file: dir } });
    return;
  }
  visited.add(real);
  const names: { name: string; dir: boolean }[] = [];
  try {
    for await (const d of await opendir(dir)) {
      let isDir = d.isDirectory();
      if (d.isSymbolicLink()) {
        try {
          isDir = (await stat(join(dir, d.name))).isDirectory();
        } catch {
          onProblem({ code: 'unreadable-file', message: 'broken symbolic link; skipped', place: { file: join(dir, d.name) } });
          continue;
        }
      }
      if (isDir || LOG_FILE.test(d.name)) names.push({ name: d.name, dir: isDir });
    }
  } catch (e) {
    onProblem({ code: 'unreadable-file', message: `cannot list directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, place: { file: dir } });
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of names) {
    const path = join(dir, n.name);
    if (n.dir) yield* walk(path, visited, onProblem);
    else yield path;
  }
}

// Files this large are streamed record by record instead of read whole.
export const STREAM_BYTES = 48 * 1024 * 1024;
const STREAM_GZIP_BYTES = 8 * 1024 * 1024;

/** One file's records: whole for ordinary files, in parts for very large ones. */
export async function* fileBatches(path: string, onProblem: (p: Problem) => void, wholeRecords = false): AsyncGenerator<RecordBatch> {
  // One open and fstat serve both the size check and the read (readFileSync does the same).
  let raw: Buffer | undefined;
  let size = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    size = fstatSync(fd).size;
    const head = Buffer.alloc(2);
    const large = size >= STREAM_BYTES || (size >= STREAM_GZIP_BYTES && readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b);
    if (!large) raw = readFileSync(fd);
  } catch (e) {
    throw new TailorError('unreadable-file', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (raw) {
    const { records, shapes, complete, chars } = fileRecords(inflate(raw, path), path, onProblem, wholeRecords);
    yield { origin: path, records, bytes: chars, shapes, complete };
    return;
  }
  let pending: unknown[] | undefined;
  for await (const group of streamRecords(path, onProblem)) {
    if (pending) yield { origin: path, records: pending, bytes: 0, partial: true };
    pending = group;
  }
  yield { origin: path, records: pending ?? [], bytes: size };
}

/** Local CloudTrail log files: a file, or a directory tree in the S3 delivery layout or any other. */
export class FileSource implements Source {
  readonly kind = 'files';
  constructor(private readonly options: FileSourceOptions) {}

  async *batches(onProblem: (p: Problem) => void, signal?: AbortSignal): AsyncIterable<RecordBatch> {
    for await (const path of this.paths(onProblem)) {
      if (signal?.aborted) return;
      try {
        yield* fileBatches(path, onProblem, this.options.wholeRecords);
      } catch (e) {
        if (!(e instanceof TailorError)) throw e;
        onProblem({ code: e.code, message: e.message, place: e.place });
      }
    }
  }

  /** The files this source will read, after pruning by key and by `skip`. */
  async *paths(onProblem: (p: Problem) => void): AsyncGenerator<string> {
    for await (const path of discoverFiles(this.options.paths, onProblem)) {
      if (prunedByKey(path, this.options.hints)) continue;
      if (this.options.skip?.has(path)) continue;
      yield path;
    }
  }
}
