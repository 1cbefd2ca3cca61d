#!/usr/bin/env node
// npm run bench — builds CloudTrail corpora once into bench/cache/, then measures, side by side
// and several times each (median reported): the floor (gunzip + JSON.parse, one thread),
// `iam-tailor profile` with 1 worker and with the default workers, and `generate` / `diff`-sized
// work on the resulting Usage. Results go to bench/results/latest.json. See bench/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '250000,1000000' },
    generator: { type: 'string', default: join(root, '..', 'shared', 'tools', 'gen-cloudtrail.mjs') },
  },
});
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(',').filter(Boolean).map(Number);
const bin = join(root, 'dist', 'cli', 'bin.js');
if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

function corpus(events) {
  const dir = join(here, 'cache', `corpus-${events}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    if (!existsSync(values.generator)) throw new Error(`no corpus at ${dir} and no generator at ${values.generator} (pass --generator)`);
    console.error(`building a ${events}-event corpus in ${dir} …`);
    execFileSync(process.execPath, [values.generator, '--out', dir, '--events', String(events), '--seed', '1'], { stdio: 'inherit' });
  }
  return join(dir, 'AWSLogs');
}

/** Runs a command under /usr/bin/time -v when present: wall seconds and peak RSS. */
function timed(args, capture = true) {
  const useTime = existsSync('/usr/bin/time');
  const t = process.hrtime.bigint();
  // Output that is not read goes to /dev/null: piping 60 MB of diff JSON costs seconds itself.
  const opts = { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'] };
  const r = useTime ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], opts) : spawnSync(process.execPath, args, opts);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  // CPU of every thread (workers, GC helpers, thread pool): wall time alone hides what parallelism costs.
  const cpu = ['User', 'System'].map((k) => Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr ?? '')?.[1] ?? NaN));
  return { seconds, maxRssKb: rss ? Number(rss[1]) : undefined, cpuSeconds: cpu[0] + cpu[1], stdout: r.stdout };
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const workers = availableParallelism();
// Which record reader the profile runs used: the native scanner, or JSON.parse (no addon built,
// or IAM_TAILOR_SCANNER=js, which the runs inherit).
const { nativeScanner } = await import(pathToFileURL(join(root, 'dist', 'ingest', 'scan.js')).href);
const results = { date: new Date().toISOString(), node: process.version, cores: workers, runs: RUNS, scanner: nativeScanner ? 'native' : 'JSON.parse', sizes: {} };

for (const size of SIZES) {
  const logs = corpus(size);
  const usageFile = join(here, 'cache', `usage-${size}.json`);
  const series = { floor: [], w1: [], wN: [] };
  let floorInfo;
  // Interleaved, so that a slow moment of the machine hits every contender alike.
  for (let i = 0; i < RUNS; i++) {
    const f = timed([join(here, 'floor.mjs'), logs]);
    floorInfo = JSON.parse(f.stdout);
    series.floor.push({ seconds: floorInfo.seconds, maxRssKb: floorInfo.maxRssKb, cpuSeconds: f.cpuSeconds });
    series.w1.push(timed([bin, 'profile', logs, '-o', usageFile, '-q', '--workers', '1']));
    series.wN.push(timed([bin, 'profile', logs, '-o', usageFile, '-q', '--workers', String(workers)]));
  }
  const floor = median(series.floor.map((x) => x.seconds));
  const row = (xs) => {
    const s = median(xs.map((x) => x.seconds));
    return { seconds: +s.toFixed(2), eventsPerSecond: Math.round(size / s), mbPerSecond: +(floorInfo.bytes / 1e6 / s).toFixed(1), ratioToFloor: +(s / floor).toFixed(2), cpuSeconds: +median(xs.map((x) => x.cpuSeconds)).toFixed(2), maxRssMb: Math.round(Math.max(...xs.map((x) => x.maxRssKb ?? 0)) / 1024) };
  };
  const roles = Object.keys(readJson(usageFile).principals).length;
  const gen = [];
  for (let i = 0; i < RUNS; i++) gen.push(timed([bin, 'generate', usageFile, '-o', join(here, 'cache', `policies-${size}`), '-q'], false).seconds);
  results.sizes[size] = {
    events: size,
    uncompressedBytes: floorInfo.bytes,
    floor: row(series.floor),
    profile1Worker: row(series.w1),
    profileDefaultWorkers: { workers, ...row(series.wN) },
    generate: { roles, seconds: +median(gen).toFixed(2) },
  };
  console.log(JSON.stringify({ size, ...results.sizes[size] }, null, 2));
}

// generate and diff on a Usage of 500 roles (target: under 2 s each).
{
  const dir = join(here, 'cache', 'corpus-roles500');
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error('building a 500-role corpus …');
    execFileSync(process.execPath, [values.generator, '--out', dir, '--events', '150000', '--roles', '500', '--accounts', '5', '--days', '3', '--seed', '5'], { stdio: 'inherit' });
  }
  const usageFile = join(here, 'cache', 'usage-roles500.json');
  timed([bin, 'profile', join(dir, 'AWSLogs'), '-o', usageFile, '-q']);
  // Current policies as admins write them: whole services on everything.
  const manifest = readJson(join(dir, 'manifest.json'));
  const current = join(here, 'cache', 'current-roles500');
  for (const [arn, role] of Object.entries(manifest.roles)) {
    const account = arn.split(':')[4];
    mkdirSync(join(current, account), { recursive: true });
    const services = [...new Set(role.used.map((a) => a.split(':')[0]))].sort();
    writeFileSync(join(current, account, `${arn.split('/').pop()}.json`), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: services.map((x) => `${x}:*`), Resource: '*' }] }));
  }
  const gen = [];
  const diff = { text: [], markdown: [], json: [] };
  for (let i = 0; i < RUNS; i++) {
    gen.push(timed([bin, 'generate', usageFile, '-o', join(here, 'cache', 'policies-roles500'), '-q'], false).seconds);
    // Every format: text is the default, markdown what the PR bot posts, json the largest.
    for (const [format, times] of Object.entries(diff)) times.push(timed([bin, 'diff', usageFile, '--current', current, '--format', format, '-q'], false).seconds);
  }
  results.roles500 = {
    roles: Object.keys(manifest.roles).length,
    generateSeconds: +median(gen).toFixed(2),
    diffSeconds: Object.fromEntries(Object.entries(diff).map(([format, times]) => [format, +median(times).toFixed(2)])),
  };
  console.log(JSON.stringify({ roles500: results.roles500 }));
}

const [small, large] = SIZES.map((s) => results.sizes[s]);
if (small && large) {
  results.rssGrowth = {
    w1: +(large.profile1Worker.maxRssMb / small.profile1Worker.maxRssMb).toFixed(2),
    wN: +(large.profileDefaultWorkers.maxRssMb / small.profileDefaultWorkers.maxRssMb).toFixed(2),
  };
}
mkdirSync(join(here, 'results'), { recursive: true });
// A partial run (--sizes '') keeps the figures it did not measure.
const previous = join(here, 'results', 'latest.json');
if (!SIZES.length && existsSync(previous)) {
  const old = readJson(previous);
  results.sizes = old.sizes;
  results.rssGrowth = old.rssGrowth;
}
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`results: bench/results/latest.json${results.rssGrowth ? `; RSS(1M)/RSS(250k) = ${results.rssGrowth.w1} (1 worker), ${results.rssGrowth.wN} (default)` : ''}`);
