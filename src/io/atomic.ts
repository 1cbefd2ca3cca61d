import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Temp files still being written: removed on interruption so nothing half-written is left.
const live = new Set<string>();

/**
 * Writes a file atomically: a temp file beside it, fsync, then rename over the target. A reader
 * (or a crash) sees the old file or the new one, never a mix.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  live.add(tmp);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    live.delete(tmp);
  }
}

// Each atomic write waits on its own fsync: several in flight keep the disk busy instead.
const WRITES_IN_FLIGHT = 16;

/**
 * Writes many files atomically, several at a time. A path given twice gets its last content,
 * as one-by-one writes would; the first failure is thrown once the writes in flight settle.
 */
export async function writeFilesAtomic(files: Iterable<readonly [string, string | Uint8Array]>): Promise<void> {
  const queue = [...new Map(files)];
  let failure: { error: unknown } | undefined;
  const writer = async (): Promise<void> => {
    for (let next = queue.shift(); next && !failure; next = queue.shift()) {
      try {
        await writeFileAtomic(next[0], next[1]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, writer));
  if (failure) throw failure.error;
}

export async function removePendingTempFiles(): Promise<void> {
  await Promise.all([...live].map((f) => rm(f, { force: true })));
}
