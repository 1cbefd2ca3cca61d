import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPolicy } from '../src/policy/document.js';
import { policyPath } from '../src/policy/files.js';
import { generatePolicies } from '../src/policy/generate.js';
import { profiled, ROOT, SAMPLES } from './support/fixtures.js';

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.sort();
}

describe('policies/', () => {
  it('holds exactly what `npm run policies` generates from samples/ (run it if this fails)', async () => {
    const usage = await profiled(SAMPLES);
    const tmp = await mkdtemp(join(tmpdir(), 'iam-tailor-policies-'));
    const expected = new Map(generatePolicies(usage).map((p) => [relative(tmp, policyPath(tmp, p)), renderPolicy(p.document)]));
    const committed = join(ROOT, 'policies');
    expect(await tree(committed)).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(await readFile(join(committed, file), 'utf8'), file).toBe(text);
  });
});
