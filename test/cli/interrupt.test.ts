import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeUsage } from '../../src/profile/usage.js';
import { CORPUS, profilePaths, ROOT, SAMPLES } from '../support/fixtures.js';

const bin = join(ROOT, 'dist', 'cli', 'bin.js');

function runUntilSigint(args: string[], afterMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    setTimeout(() => child.kill('SIGINT'), afterMs);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('Ctrl-C and --resume', () => {
  it('an interrupted profile leaves the previous output intact, no temp files, and a partial profile that --resume completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-int-'));
    const out = join(dir, 'usage.json');
    await writeFile(out, 'previous output\n');
    // Big enough (both trees, ~3.8k files) that the signal lands mid-run on any machine.
    const r = await runUntilSigint(['profile', CORPUS, SAMPLES, '-o', out, '--workers', '1'], 900);
    expect(r.code).toBe(130);
    expect(await readFile(out, 'utf8')).toBe('previous output\n');
    expect((await readdir(dir)).sort()).toEqual(['usage.json', 'usage.partial.json']);
    expect(r.stderr).toMatch(/interrupted after \d+ files/);
    const partial = JSON.parse(await readFile(join(dir, 'usage.partial.json'), 'utf8')) as { files: string[] };
    expect(partial.files.length).toBeGreaterThan(0);

    const { execFileSync } = await import('node:child_process');
    const text = execFileSync(process.execPath, [bin, 'profile', CORPUS, SAMPLES, '--resume', join(dir, 'usage.partial.json'), '-o', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(text).toBe('');
    expect(await readFile(out, 'utf8')).toBe(serializeUsage((await profilePaths([CORPUS, SAMPLES])).usage));
  });

  it('an interrupted generate writes no policy and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-int-gen-'));
    const r = await runUntilSigint(['generate', CORPUS, SAMPLES, '-o', join(dir, 'policies'), '--workers', '1'], 900);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(await readdir(dir)).toEqual([]);
  });
});
