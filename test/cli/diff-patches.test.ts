import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal } from '../../src/cli/terminal.js';
import { loadCurrent } from '../../src/compare/current.js';
import { ActionMatcher } from '../../src/compare/expand.js';
import type { PatchWorker } from '../../src/compare/patches.js';
import { compareAll } from '../../src/compare/report.js';
import { renderMarkdown } from '../../src/compare/render-markdown.js';
import { renderText } from '../../src/compare/render-text.js';
import { rolePatch } from '../../src/compare/unified.js';
import { serializeUsage } from '../../src/profile/usage.js';
import { catalog, CORPUS, profiled, ROOT } from '../support/fixtures.js';

const bin = join(ROOT, 'dist', 'cli', 'bin.js');
const BROAD = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'logs:*'], Resource: '*' }] };

/** The corpus's usage, and broad current policies for its roles and for 20 roles it never saw. */
async function manyRoles(): Promise<{ usageFile: string; currentDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-patches-'));
  const usage = await profiled(CORPUS);
  const usageFile = join(dir, 'usage.json');
  await writeFile(usageFile, serializeUsage(usage));
  const currentDir = join(dir, 'current');
  const roles = Object.keys(usage.principals).map((arn) => ({ account: arn.split(':')[4] as string, name: arn.slice(arn.lastIndexOf('/') + 1) }));
  for (let i = 0; i < 20; i++) roles.push({ account: '111122223333', name: `idle-role-${i}` });
  for (const r of roles) {
    await mkdir(join(currentDir, r.account), { recursive: true });
    await writeFile(join(currentDir, r.account, `${r.name}.json`), JSON.stringify(BROAD));
  }
  return { usageFile, currentDir };
}

// The compiled CLI hands unified diffs to a worker thread once there are many roles; from the
// TypeScript sources every diff is made in this thread. Both must print the same bytes.
describe('diff with many roles', () => {
  it('prints the same text and markdown with its diffs made on a worker thread', async () => {
    const { usageFile, currentDir } = await manyRoles();
    const usage = await profiled(CORPUS);
    await catalog().loadAll();
    const comparisons = compareAll(usage, await loadCurrent(currentDir), [], new ActionMatcher(catalog()));
    expect(comparisons.length).toBeGreaterThanOrEqual(60);
    expect(comparisons.filter((c) => c.changed).length).toBeGreaterThan(30);
    const expected = {
      text: renderText(comparisons, { color: false, clean: sanitizeForTerminal }),
      markdown: renderMarkdown(comparisons, { window: usage.window }),
    };
    for (const format of ['text', 'markdown'] as const) {
      const out = execFileSync(process.execPath, [bin, 'diff', usageFile, '--current', currentDir, '--format', format, '-q'], { encoding: 'utf8', maxBuffer: 64e6 });
      expect(out, format).toBe(expected[format].endsWith('\n') ? expected[format] : `${expected[format]}\n`);
    }
  });

  it('makes a role diff on the worker as in this thread, and makes here what a stopped worker left', async () => {
    const { PatchWorker: Compiled } = (await import(pathToFileURL(join(ROOT, 'dist', 'compare', 'patches.js')).href)) as { PatchWorker: typeof PatchWorker };
    const { currentDir } = await manyRoles();
    const usage = await profiled(CORPUS);
    await catalog().loadAll();
    const changed = compareAll(usage, await loadCurrent(currentDir), [], new ActionMatcher(catalog())).filter((c) => c.changed);
    const delivered = (w: PatchWorker): number => (w as unknown as { done: Map<unknown, string> }).done.size;

    const worker = Compiled.start();
    expect(worker).toBeDefined();
    for (const c of changed) worker?.add(c);
    const patch = await worker?.finish();
    expect(delivered(worker as PatchWorker)).toBe(changed.length);
    for (const c of changed) expect(patch?.(c)).toBe(rolePatch(c));

    const stopped = Compiled.start() as PatchWorker;
    await (stopped as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (const c of changed) stopped.add(c);
    const fallback = await stopped.finish();
    expect(delivered(stopped)).toBe(0);
    for (const c of changed) expect(fallback(c)).toBe(rolePatch(c));
  });
});
