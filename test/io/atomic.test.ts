import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic.js';

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
});
