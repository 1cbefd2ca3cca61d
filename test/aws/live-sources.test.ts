import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPolicy } from '../../src/policy/document.js';
import { generatePolicies } from '../../src/policy/generate.js';
import { buildAthenaSql, partitionPredicate } from '../../src/ingest/athena-sql.js';
import type { Usage } from '../../src/profile/usage.js';
import { athenaRows, ATHENA_HEADER } from '../support/athena-rows.js';
import { AwsEndpoint } from '../support/aws-endpoint.js';
import { runCli } from '../support/cli.js';
import { profiled, ROOT as ROOT_DIR, SAMPLES } from '../support/fixtures.js';

async function sampleRecords(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of await readdir(SAMPLES, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.gz')) continue;
    out.push(...(JSON.parse(gunzipSync(await readFile(join(e.parentPath, e.name))).toString()) as { Records: Record<string, unknown>[] }).Records);
  }
  return out;
}

const render = (u: Usage): string[] => generatePolicies(u).map((p) => `${p.principal}\n${renderPolicy(p.document)}`);

describe('live AWS sources through the real SDK clients and a local endpoint', () => {
  let aws: AwsEndpoint;
  let records: Record<string, unknown>[];
  beforeAll(async () => {
    aws = await new AwsEndpoint().start();
    records = await sampleRecords();
  });
  afterAll(async () => {
    await aws.stop();
  });

  it('LookupEvents: every region asked for, every page, throttling retried; management events only', async () => {
    const management = records.filter((r) => r.managementEvent !== false);
    aws.state.lookupEvents = { 'us-east-1': management.slice(0, 230), 'eu-west-1': management.slice(230, 300) };
    aws.state.throttleFirst = 2;
    aws.requests.length = 0;
    const r = await runCli(['profile', '--source', 'cloudtrail', '--regions', 'us-east-1,eu-west-1', '--since', '2026-09-01', '--until', '2026-11-01'], aws.env());
    expect(r.code, r.stderr).toBe(0);
    const calls = aws.requests.filter((q) => q.operation === 'LookupEvents');
    expect(calls.filter((q) => q.region === 'us-east-1').length).toBe(5 + 2); // 5 pages of 50, 2 throttled
    expect(calls.filter((q) => q.region === 'eu-west-1').length).toBe(2);
    const usage = JSON.parse(r.stdout) as Usage;
    expect(usage.coverage.sources).toEqual(['lookup-events']);
    expect(usage.input.records).toBe(300);
    expect(r.stderr).toContain('LookupEvents returns management events only');
  });

  it('Athena: QUEUED → RUNNING → SUCCEEDED over several polls and pages gives the policies the files give', async () => {
    const rows = athenaRows(records, '2026-09-20T00:00:00Z', '2026-10-31T00:00:00Z');
    aws.state.athena = { states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], header: ATHENA_HEADER, rows, pageSize: 100, bytesScanned: 123456789 };
    aws.requests.length = 0;
    const r = await runCli(['profile', '--source', 'athena', '--database', 'trails', '--table', 'cloudtrail_logs', '--since', '2026-09-20', '--until', '2026-10-31'], aws.env());
    expect(r.code, r.stderr).toBe(0);
    expect(aws.requests.filter((q) => q.operation === 'GetQueryExecution').length).toBe(4);
    expect(aws.requests.filter((q) => q.operation === 'GetQueryResults').length).toBe(Math.ceil((rows.length + 1) / 100));
    expect(r.stderr).toMatch(/athena: query q-\d+ scanned 123\.5 MB/);
    expect(rows.length).toBeLessThan(records.length);
    expect(render(JSON.parse(r.stdout) as Usage)).toEqual(render(await profiled(SAMPLES)));
  });

  it('Athena: a FAILED query is a clear error and exit 1', async () => {
    aws.state.athena = { states: ['RUNNING', 'FAILED'], failure: 'TABLE_NOT_FOUND: line 3:6: Table trails.nope does not exist', header: ATHENA_HEADER, rows: [], pageSize: 10 };
    const r = await runCli(['profile', '--source', 'athena', '--database', 'trails', '--table', 'nope'], aws.env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Athena query q-\d+ failed: TABLE_NOT_FOUND/);
  });

  it('injection through --role or --table is refused before any request is sent', async () => {
    aws.requests.length = 0;
    for (const args of [
      ['--table', "logs; DROP TABLE x --"],
      ['--table', 'logs"'],
      ['--table', 'cloudtrail_logs', '--role', "arn:aws:iam::123456789012:role/x' OR '1'='1"],
      ['--table', 'cloudtrail_logs', '--role', 'arn:aws:iam::123456789012:role/x/*'],
      ['--table', 'cloudtrail_logs', '--database', 'a--b'],
    ]) {
      const r = await runCli(['profile', '--source', 'athena', '--database', 'trails', ...args], aws.env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/refused|not a plain Athena name|exact role ARNs/);
    }
    expect(aws.requests).toEqual([]);
  });
});

describe('the Athena SQL', () => {
  const q = { database: 'trails', table: 'cloudtrail_logs', since: new Date('2026-07-01T00:00:00Z'), until: new Date('2026-09-28T23:59:59Z'), roles: [], accounts: [], regions: [] };

  it('names only the partitions of a 90-day window, in both layouts', () => {
    expect(partitionPredicate({ ...q, partitions: 'projection' })).toBe(`"timestamp" BETWEEN '2026/07/01' AND '2026/09/28'`);
    const classic = partitionPredicate({ ...q, partitions: 'classic' });
    expect(classic.match(/'\d\d'/g)?.length).toBe(90 + 3); // 90 days, 3 months
    expect(classic).toContain("(year = '2026' AND month = '07' AND day IN ('01', ");
    expect(classic).toContain("'28'))");
    expect(classic).not.toContain("'29'))");
  });

  it('never returns raw requestparameters: only extracted fields, aggregated', () => {
    const sql = buildAthenaSql({ ...q, partitions: 'projection' });
    const select = sql.slice(0, sql.indexOf('\nFROM'));
    // Every use of the raw column is inside an extraction; none is a column of its own.
    const uses = [...select.matchAll(/(\w+)\(requestparameters\b/g)].map((m) => m[1]);
    expect(select.match(/requestparameters/g)?.length).toBe(uses.length);
    expect(new Set(uses)).toEqual(new Set(['json_extract_scalar', 'json_extract', 'coalesce']));
    expect(select).toMatch(/regexp_extract_all\(coalesce\(requestparameters, ''\), 'arn:aws/);
    expect(select).toContain(`json_extract_scalar(requestparameters, '$["bucketName"]')`);
    expect(sql).toContain('count(*) AS n');
    expect(sql).toMatch(/GROUP BY 1, 2, 3/);
  });
});

describe('current policies from IAM and functions from Lambda', () => {
  let aws: AwsEndpoint;
  beforeAll(async () => {
    aws = await new AwsEndpoint().start();
    const { readFile: rf } = await import('node:fs/promises');
    const { ROOT } = await import('../support/fixtures.js');
    const { manifest } = await import('../support/fixtures.js');
    const m = manifest('samples');
    for (const arn of Object.keys(m.roles)) {
      const name = arn.slice(arn.lastIndexOf('/') + 1);
      const doc = JSON.parse(await rf(join(ROOT, 'samples', 'current', '560428343783', `${name}.json`), 'utf8')) as { Statement: unknown[] };
      // The basic execution statement becomes an attached managed policy; the rest stays inline, split in two.
      aws.state.roles[name] = { arn, inline: { app: { Version: '2012-10-17', Statement: doc.Statement.slice(1, 2) }, leftovers: { Version: '2012-10-17', Statement: doc.Statement.slice(2) } }, attached: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'], boundary: name.startsWith('orders') ? 'arn:aws:iam::560428343783:policy/boundary' : undefined };
      aws.state.managedPolicies['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] = { Version: '2012-10-17', Statement: [doc.Statement[0]] };
    }
    const { readdir: rd } = await import('node:fs/promises');
    for (const f of (await rd(join(ROOT, 'samples', 'lambda'))).sort()) {
      const cfg = JSON.parse(await rf(join(ROOT, 'samples', 'lambda', f), 'utf8')) as Record<string, unknown> & { FunctionName: string; EventSourceMappings?: unknown[]; DestinationConfig?: unknown };
      // Lambda serves these three from three APIs.
      const { EventSourceMappings, DestinationConfig, ...rest } = cfg;
      aws.state.functions.push(rest);
      if (EventSourceMappings) aws.state.eventSourceMappings[cfg.FunctionName] = EventSourceMappings;
      if (DestinationConfig) aws.state.destinations[cfg.FunctionName] = DestinationConfig;
    }
  });
  afterAll(async () => {
    await aws.stop();
  });

  it('diff --current iam --functions lambda equals the diff against the files', async () => {
    const files = await runCli(['diff', SAMPLES, '--current', join(ROOT_DIR, 'samples', 'current'), '--functions', join(ROOT_DIR, 'samples', 'lambda'), '--format', 'json', '-q']);
    aws.state.throttleFirst = 1;
    const live = await runCli(['diff', SAMPLES, '--current', 'iam', '--functions', 'lambda', '--format', 'json', '-q'], aws.env());
    expect(live.code, live.stderr).toBe(0);
    type Roles = { roles: { role: string; counts: unknown; proposed: unknown; notes: string[] }[] };
    const a = JSON.parse(files.stdout) as Roles;
    const b = JSON.parse(live.stdout) as Roles;
    expect(b.roles.map((r) => r.role)).toEqual(a.roles.map((r) => r.role));
    for (const [i, r] of b.roles.entries()) {
      expect(r.counts, r.role).toEqual(a.roles[i]?.counts);
      expect(r.proposed, r.role).toEqual(a.roles[i]?.proposed);
    }
    expect(b.roles.find((r) => r.role.endsWith('/orders-fn-role-0'))?.notes).toEqual(['permissions boundary arn:aws:iam::560428343783:policy/boundary also limits this role']);
    expect(aws.requests.filter((q) => q.operation === 'ListRolePolicies').length).toBeGreaterThan(8); // one name per page
    expect(aws.requests.filter((q) => q.operation === 'GetRolePolicy').length).toBe(16);
    const platform = b.roles.flatMap((r) => (r as unknown as { actions: { action: string; class: string; reason: string | null }[] }).actions.filter((a) => a.class === 'platform' || a.class === 'missing'));
    expect(platform.some((a) => a.action === 'sns:Publish' && /destination/.test(a.reason ?? ''))).toBe(true);
  });

  it('roles lists functions with their execution roles and marks shared roles', async () => {
    const r = await runCli(['roles', '--json'], aws.env());
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { role: string; functions: string[]; shared: boolean }[];
    expect(rows.filter((x) => x.shared).map((x) => x.role)).toEqual(['arn:aws:iam::560428343783:role/users-fn-role-5']);
    expect(rows.flatMap((x) => x.functions)).toHaveLength(8);
  });

  it('athena ddl prints a projected table for an organization trail', async () => {
    const r = await runCli(['athena', 'ddl', '--bucket', 'org-trail-bucket', '--org-id', 'o-abc123def4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("LOCATION 's3://org-trail-bucket/AWSLogs/o-abc123def4/'");
    expect(r.stdout).toContain("'projection.timestamp.format' = 'yyyy/MM/dd'");
    expect((await runCli(['athena', 'ddl', '--bucket', "b'; DROP"])).code).toBe(2);
  });
});

describe('Ctrl-C during an Athena query', () => {
  it('stops the query (StopQueryExecution) and exits 130', async () => {
    const aws = await new AwsEndpoint().start();
    try {
      aws.state.athena = { states: ['RUNNING'], header: ATHENA_HEADER, rows: [], pageSize: 10 };
      const { spawn } = await import('node:child_process');
      // Interrupted without -o, profile leaves usage.partial.json in its working directory.
      const cwd = await mkdtemp(join(tmpdir(), 'iam-tailor-athena-int-'));
      const child = spawn(process.execPath, [join(ROOT_DIR, 'dist', 'cli', 'bin.js'), 'profile', '--source', 'athena', '--database', 'trails', '--table', 'cloudtrail_logs', '-q'], { cwd, env: { ...process.env, ...aws.env() }, stdio: 'ignore' });
      const started = Date.now();
      while (!aws.requests.some((q) => q.operation === 'GetQueryExecution') && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(130);
      expect(aws.requests.map((q) => q.operation)).toContain('StopQueryExecution');
    } finally {
      await aws.stop();
    }
  });
});
