import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TailorError } from '../errors.js';

const READ_AHEAD = 16;

async function* jsonFiles(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* jsonFiles(p);
    else if (e.name.endsWith('.json')) yield p;
  }
}

/** The parsed JSON of a file, or of every `.json` file below a directory (sorted); errors name the file. */
export async function readJsonFiles(path: string): Promise<{ readonly file: string; readonly value: unknown; readonly isDirectory: boolean }[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new TailorError('bad-argument', 'no such file or directory', { file: path });
  }
  const isDirectory = st.isDirectory();
  const files: string[] = [];
  if (isDirectory) for await (const f of jsonFiles(path)) files.push(f);
  else files.push(path);
  const read = async (file: string): Promise<{ file: string; value: unknown; isDirectory: boolean }> => {
    try {
      return { file, value: JSON.parse(await readFile(file, 'utf8')), isDirectory };
    } catch (e) {
      throw new TailorError('bad-policy-file', `not JSON: ${(e as Error).message}`, { file });
    }
  };
  // A policy repository holds hundreds of small files: read them several at a time, in order.
  const out: { file: string; value: unknown; isDirectory: boolean }[] = [];
  for (let i = 0; i < files.length; i += READ_AHEAD) {
    // The first bad file in order is the one reported, however the reads finish.
    for (const r of await Promise.allSettled(files.slice(i, i + READ_AHEAD).map(read))) {
      if (r.status === 'rejected') throw r.reason;
      out.push(r.value);
    }
  }
  return out;
}
