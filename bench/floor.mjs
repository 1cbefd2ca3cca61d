#!/usr/bin/env node
// The floor: a plain, single-threaded Node script that only gunzips and JSON.parses every file.
// Prints one JSON line: events, uncompressed bytes, seconds, peak RSS.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

let events = 0;
let bytes = 0;
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.json.gz')) {
      const raw = gunzipSync(readFileSync(p));
      bytes += raw.length;
      events += JSON.parse(raw.toString('utf8')).Records.length;
    }
  }
}
const t = process.hrtime.bigint();
walk(process.argv[2]);
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
console.log(JSON.stringify({ events, bytes, seconds, maxRssKb: process.resourceUsage().maxRSS }));
