import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFilesAtomic } from '../../src/io/atomic.js';

describe('atomic writes', () => {
  it('replace the file whole and leave no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-atomic-'));
    const f = join(dir, 'a.json');
    await writeFile(f, 'old');
    await writeFileAtomic(f, 'new');
    expect(await readFile(f, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('a failed write leaves the previous file and no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-atomic-'));
    const f = join(dir, 'a.json');
    await writeFile(f, 'old');
    await expect(writeFileAtomic(f, 42 as unknown as string)).rejects.toThrow();
    expect(await readFile(f, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('many at once: every file whole, a path given twice gets its last content, no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-atomic-'));
    const files: [string, string][] = Array.from({ length: 100 }, (_, i) => [join(dir, 'p', `${i}.json`), `{"n":${i}}`]);
    files.push([join(dir, 'p', '7.json'), 'last']);
    await writeFilesAtomic(files);
    const names = await readdir(join(dir, 'p'));
    expect(names).toHaveLength(100);
    expect(await readFile(join(dir, 'p', '99.json'), 'utf8')).toBe('{"n":99}');
    expect(await readFile(join(dir, 'p', '7.json'), 'utf8')).toBe('last');
  });

  it('many at once: the first failure is thrown after the others settle, leaving no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-atomic-'));
    const files: [string, string | Uint8Array][] = [
      [join(dir, 'a.json'), 'a'],
      [join(dir, 'bad.json'), 42 as unknown as string],
      [join(dir, 'b.json'), 'b'],
    ];
    await expect(writeFilesAtomic(files)).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.json']);
  });
});
