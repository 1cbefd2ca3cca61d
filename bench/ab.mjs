#!/usr/bin/env node
// A/B of the profiler's own work: two builds in one process, given the same files in turn.
//   node bench/ab.mjs <corpus dir> <build A> <build B>      (builds: copies of dist/)
// Each file is read and gunzipped once; each build then reads its records (fileRecords: the
// native scanner, or JSON.parse in builds without it) and profiles them (Profiler.addBatch),
// their order swapping every file, and only that is timed. Give each build its own
// ../build/Release (a copy, not a link): one addon loaded twice would share its tables. On a
// shared VM whose speed drifts by ±20% within minutes, this resolves differences of ~5% that
// whole-run timings cannot.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

const [dir, ...builds] = process.argv.slice(2);
if (!dir || builds.length < 2) {
  console.error('usage: node bench/ab.mjs <corpus dir> <build A> <build B> [more builds]');
  process.exit(2);
}
const load = (build, module) => import(pathToFileURL(join(resolve(build), module)).href);
const sides = [];
for (const build of builds) {
  const { Catalog } = await load(build, 'profile/catalog.js');
  const { Profiler } = await load(build, 'profile/profiler.js');
  const { fileRecords } = await load(build, 'ingest/parse.js');
  sides.push({ build, profiler: new Profiler(new Catalog()), fileRecords, ms: 0 });
}
const files = [];
(function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.json.gz')) files.push(p);
  }
})(dir);
let records = 0;
for (let i = 0; i < files.length; i++) {
  const raw = readFileSync(files[i]);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  for (const side of i % 2 ? [...sides].reverse() : sides) {
    const t = performance.now();
    const read = side.fileRecords ? side.fileRecords(bytes, files[i], () => {}) : { records: JSON.parse(bytes.toString('latin1')).Records };
    const batch = { origin: files[i], bytes: bytes.length, ...read };
    await side.profiler.addBatch(batch, 'files');
    side.ms += performance.now() - t;
    if (side === sides[0]) records += batch.records.length;
  }
}
for (const s of sides) console.log(`${s.build}: ${(s.ms / 1000).toFixed(2)} s, ${((s.ms * 1000) / records).toFixed(2)} µs per record`);
