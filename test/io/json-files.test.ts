import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TailorError } from '../../src/errors.js';
import { readJsonFiles } from '../../src/io/json-files.js';

async function tree(count: number, bad: readonly number[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-json-'));
  for (let i = 0; i < count; i++) {
    const sub = join(dir, i % 2 ? 'b' : 'a');
    await mkdir(sub, { recursive: true });
    // Big bad files and small good ones: a bad file later in order may finish reading first.
    await writeFile(join(sub, `${String(i).padStart(3, '0')}.json`), bad.includes(i) ? `{${' '.repeat(i === bad[0] ? 4_000_000 : 0)}` : JSON.stringify({ i }));
  }
  return dir;
}

describe('readJsonFiles', () => {
  it('reads every .json file below a directory, in sorted path order', async () => {
    const dir = await tree(40);
    await writeFile(join(dir, 'a', 'notes.txt'), 'not json');
    const got = await readJsonFiles(dir);
    const files = got.map((x) => x.file);
    expect(files).toEqual([...files].sort());
    expect(got.map((x) => (x.value as { i: number }).i).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(got.every((x) => x.isDirectory)).toBe(true);
  });

  it('names the first bad file in path order, whichever read finishes first', async () => {
    const dir = await tree(40, [4, 6]);
    const e = await readJsonFiles(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TailorError);
    expect((e as TailorError).code).toBe('bad-policy-file');
    expect((e as TailorError).place?.file).toBe(join(dir, 'a', '004.json'));
  });
});
