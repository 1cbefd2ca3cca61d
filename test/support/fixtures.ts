import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSource } from '../../src/ingest/files.js';
import { Catalog } from '../../src/profile/catalog.js';
import { profileSource, type ProfileOptions } from '../../src/profile/profiler.js';
import type { Usage } from '../../src/profile/usage.js';
import type { Problem } from '../../src/errors.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SAMPLES = join(ROOT, 'samples', 'cloudtrail');
export const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus-20k', 'AWSLogs');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The generator's ground truth (see test/fixtures/README.md). */
export interface Manifest {
  roles: Record<string, { used: string[]; usedManagement: string[]; denied: string[]; resources: Record<string, string[]>; sessions: string[]; permissionless: string[] }>;
  unmapped: string[];
  events: number;
}

export function manifest(which: 'samples' | 'corpus'): Manifest {
  const file = which === 'samples' ? join(ROOT, 'samples', 'manifest.json') : join(ROOT, 'test', 'fixtures', 'corpus-20k', 'manifest.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

const shared = new Catalog();
export const catalog = (): Catalog => shared;

export async function profilePaths(paths: string[], options: ProfileOptions = {}): Promise<{ usage: Usage; problems: Problem[] }> {
  const problems: Problem[] = [];
  const usage = await profileSource(new FileSource({ paths }), shared, { ...options, onProblem: (p) => problems.push(p) });
  return { usage, problems };
}

const cache = new Map<string, Promise<Usage>>();
/** Profiles a fixture tree once per test file. */
export function profiled(path: string): Promise<Usage> {
  let u = cache.get(path);
  if (!u) {
    u = profilePaths([path]).then((r) => r.usage);
    cache.set(path, u);
  }
  return u;
}
