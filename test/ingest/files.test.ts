import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TailorError } from '../../src/errors.js';
import { FileSource, keyFacts, prunedByKey } from '../../src/ingest/files.js';
import { FIXTURES, profilePaths, SAMPLES } from '../support/fixtures.js';

const bad = (name: string): string => join(FIXTURES, 'bad', name);
const formats = join(FIXTURES, 'formats');

describe('file ingest', () => {
  it('reads {"Records"} (gzip), JSON Lines, lookup-events output and a UTF-8 BOM alike', async () => {
    const { usage, problems } = await profilePaths([formats]);
    expect(problems).toEqual([]);
    const actions = Object.keys(usage.principals['arn:aws:iam::123456789012:role/orders-role']?.actions ?? {}).sort();
    expect(actions).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage']);
    expect(usage.input.files).toBe(4);
  });

  it.each([
    ['truncated.json.gz', 'bad-gzip'],
    ['gzip-of-text.json.gz', 'bad-json'],
    ['not-json.json', 'bad-json'],
    ['no-records.json', 'no-records'],
    ['records-not-array.json', 'no-records'],
    ['empty.json', 'no-records'],
  ])('skips %s with a %s warning naming the file, and still reads the rest', async (name, code) => {
    const { usage, problems } = await profilePaths([bad(name), join(formats, 'records.json.gz')]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe(code);
    expect(problems[0]?.place.file).toBe(bad(name));
    expect(usage.input.problems).toBe(1);
    expect(Object.keys(usage.principals['arn:aws:iam::123456789012:role/orders-role']?.actions ?? {})).toEqual(['sqs:SendMessage']);
  });

  it('reads a multi-member gzip whole, though its trailer gives the size of the last member only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-gz-'));
    const records = JSON.parse(gunzipSync(await readFile(join(formats, 'records.json.gz'))).toString('utf8')).Records as unknown[];
    // A long first member and a tiny last one: the output outgrows the size the trailer names.
    const text = JSON.stringify({ Records: records }).replace(/}$/, ' '.repeat(100_000));
    const file = join(dir, 'two-members.json.gz');
    await writeFile(file, Buffer.concat([gzipSync(text), gzipSync('}')]));
    const { usage, problems } = await profilePaths([file]);
    expect(problems).toEqual([]);
    expect(usage.input.records).toBe(records.length);
    expect(Object.keys(usage.principals['arn:aws:iam::123456789012:role/orders-role']?.actions ?? {})).toEqual(['sqs:SendMessage']);
  });

  it('skips a record without eventSource, naming file and record index, and keeps its neighbours', async () => {
    const { usage, problems } = await profilePaths([bad('missing-event-source.json')]);
    expect(problems).toEqual([{ code: 'bad-record', message: 'record skipped: missing eventSource', place: { file: bad('missing-event-source.json'), record: 1 } }]);
    expect(Object.keys(usage.principals['arn:aws:iam::123456789012:role/orders-role']?.actions ?? {}).sort()).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes']);
  });

  it('with strict, the first problem is an error naming the file', async () => {
    await expect(profilePaths([bad('truncated.json.gz'), formats], { strict: true })).rejects.toMatchObject({ code: 'bad-gzip', place: { file: bad('truncated.json.gz') } });
    await expect(profilePaths([bad('missing-event-source.json')], { strict: true })).rejects.toBeInstanceOf(TailorError);
  });

  it('walks directories in a stable order and survives a symlink loop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-walk-'));
    await mkdir(join(dir, 'b'));
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'b', '2.json'), '{"Records":[]}');
    await writeFile(join(dir, 'a', '1.json'), '{"Records":[]}');
    const { symlink } = await import('node:fs/promises');
    await symlink(dir, join(dir, 'a', 'loop'));
    const problems: unknown[] = [];
    const seen: string[] = [];
    for await (const p of new FileSource({ paths: [dir] }).paths((p) => problems.push(p))) seen.push(p);
    expect(seen).toEqual([join(dir, 'a', '1.json'), join(dir, 'b', '2.json')]);
    expect(problems).toHaveLength(1);
  });

  it('knows account, region and day from the S3 key and prunes files outside the window', () => {
    const key = 'AWSLogs/123456789012/CloudTrail/eu-west-1/2026/10/05/123456789012_CloudTrail_eu-west-1_20261005T1205Z_abc.json.gz';
    expect(keyFacts(key)).toEqual({ account: '123456789012', region: 'eu-west-1', day: '2026-10-05' });
    expect(prunedByKey(key, { since: new Date('2026-10-10T00:00:00Z') })).toBe(true);
    expect(prunedByKey(key, { since: new Date('2026-10-06T00:00:00Z') })).toBe(false);
    expect(prunedByKey(key, { until: new Date('2026-10-01T00:00:00Z') })).toBe(true);
    expect(prunedByKey(key, { regions: ['us-east-1'] })).toBe(true);
    expect(prunedByKey(key, { accounts: ['123456789012'] })).toBe(false);
  });

  it('reads the samples: one file per S3 object, none skipped', async () => {
    const { usage, problems } = await profilePaths([SAMPLES]);
    expect(problems).toEqual([]);
    expect(usage.input.files).toBeGreaterThan(1000);
  });
});
