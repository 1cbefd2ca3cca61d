import { join } from 'node:path';
import { loadCurrent } from '../../src/compare/current.js';
import { ActionMatcher } from '../../src/compare/expand.js';
import { loadFunctionConfigs } from '../../src/compare/platform.js';
import { compareAll, type Comparison } from '../../src/compare/report.js';
import { catalog, profiled, ROOT, SAMPLES } from './fixtures.js';

let cached: Promise<Comparison[]> | undefined;

/** The samples compared with their current policies and function configurations. */
export function sampleComparisons(): Promise<Comparison[]> {
  cached ??= (async () => {
    await catalog().loadAll();
    const usage = await profiled(SAMPLES);
    const current = await loadCurrent(join(ROOT, 'samples', 'current'));
    const functions = await loadFunctionConfigs(join(ROOT, 'samples', 'lambda'));
    return compareAll(usage, current, functions, new ActionMatcher(catalog()));
  })();
  return cached;
}
