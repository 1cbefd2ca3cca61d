import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeUsage } from '../../src/profile/usage.js';
import { CORPUS, FIXTURES, profiled, ROOT } from '../support/fixtures.js';

const bin = join(ROOT, 'dist', 'cli', 'bin.js');

// Worker threads run the compiled code in dist/ (built by `npm ci`); the result must not depend
// on how many workers shared the files.
describe('parallel profiling', () => {
  it('gives the same Usage with 1, 2 and 3 workers as in-process profiling', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-par-'));
    const expected = serializeUsage(await profiled(CORPUS));
    for (const w of [1, 2, 3]) {
      const out = join(dir, `u${w}.json`);
      execFileSync(process.execPath, [bin, 'profile', CORPUS, '-o', out, '-q', '--workers', String(w)]);
      expect(await readFile(out, 'utf8'), `${w} workers`).toBe(expected);
    }
  });

  it('applies role and time filters inside the workers as in one thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-par-'));
    const filters = ['--role', 'orders-*', '--since', '2026-10-02T00:00:00Z', '--until', '2026-10-05'];
    const outs = [1, 2].map((w) => {
      const out = join(dir, `f${w}.json`);
      execFileSync(process.execPath, [bin, 'profile', CORPUS, ...filters, '-o', out, '-q', '--workers', String(w)]);
      return out;
    });
    const [one, two] = await Promise.all(outs.map((o) => readFile(o, 'utf8')));
    expect(two).toBe(one);
    const usage = JSON.parse(one as string) as { principals: Record<string, unknown>; input: { skipped: Record<string, number> } };
    const roles = Object.keys(usage.principals);
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.every((r) => /:role\/(.*\/)?orders-[^/]*$/.test(r))).toBe(true);
    expect(usage.input.skipped['filtered-out']).toBeGreaterThan(0);
  });

  it('reports problems found in workers, and --strict stops with exit 1', () => {
    const bad = join(FIXTURES, 'bad');
    const lenient = spawnSync(process.execPath, [bin, 'profile', bad, join(FIXTURES, 'formats'), '--workers', '2', '-o', join(tmpdir(), 'iam-tailor-par.json')], { encoding: 'utf8' });
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toMatch(/warning: .*truncated\.json\.gz: cannot gunzip/);
    expect(lenient.stderr).toMatch(/missing-event-source\.json, record 1: record skipped: missing eventSource/);
    expect(lenient.stderr).toMatch(/\d+ problems/);
    expect(lenient.stderr).toMatch(/userIdentity is not an object/);
    const strict = spawnSync(process.execPath, [bin, 'profile', bad, '--workers', '2', '--strict', '-q'], { encoding: 'utf8' });
    expect(strict.status).toBe(1);
  });
});
