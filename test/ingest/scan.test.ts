import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../src/ingest/files.js';
import { fileRecords } from '../../src/ingest/parse.js';
import { nativeScanner, scanRecords } from '../../src/ingest/scan.js';
import { normalize } from '../../src/profile/call.js';
import { Catalog } from '../../src/profile/catalog.js';
import { Profiler } from '../../src/profile/profiler.js';
import { serializeUsage } from '../../src/profile/usage.js';
import { CORPUS, ROOT } from '../support/fixtures.js';

// JSON text with every non-ASCII character escaped: the scanner only ever sees ASCII files.
const ascii = (text: string): string => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const jsonText = (v: unknown): string => ascii(JSON.stringify(v));

// A string literal, sometimes with its characters written as \u escapes (the same value).
const stringText = (values: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(values, fc.boolean()).map(([s, escaped]) => (escaped ? `"${[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : jsonText(s)));

const anyValueText = fc.jsonValue({ maxDepth: 3 }).map(jsonText);
const ARN = 'arn:aws:iam::123456789012:role/service-role/orders-fn';

// An object's text from its key/value texts, keys possibly repeated (JSON.parse keeps the last).
const objectText = (pairs: fc.Arbitrary<[string, string][]>): fc.Arbitrary<string> => pairs.map((ps) => `{${ps.map(([k, v]) => `${k}:${v}`).join(',')}}`);
// Now and then spelled with an escape, which sends the record to JSON.parse whole.
const key = (name: string): fc.Arbitrary<string> =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(JSON.stringify(name)) }, { weight: 1, arbitrary: fc.constant(`"${name.slice(0, -1)}\\u${name.charCodeAt(name.length - 1).toString(16).padStart(4, '0')}"`) });
const field = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> => fc.tuple(key(name), fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: anyValueText }));
const some = (...fields: fc.Arbitrary<[string, string]>[]): fc.Arbitrary<[string, string][]> =>
  fc.array(fc.oneof(...fields, fc.tuple(fc.string({ maxLength: 8 }).map(jsonText), anyValueText)), { maxLength: 14 });

const issuerText = objectText(some(field('arn', stringText(fc.constantFrom(ARN, 'arn:aws:iam::123456789012:user/u', '')))));
const contextText = objectText(some(field('sessionIssuer', issuerText), field('attributes', anyValueText)));
const identityText = objectText(
  some(
    field('type', stringText(fc.constantFrom('AssumedRole', 'AWSService', 'IAMUser'))),
    field('arn', stringText(fc.constantFrom('arn:aws:sts::123456789012:assumed-role/orders-fn/orders-fn', 'x'))),
    field('principalId', stringText(fc.constantFrom('AROAEXAMPLE:orders-fn', 'AROA', ''))),
    field('invokedBy', stringText(fc.constantFrom('lambda.amazonaws.com'))),
    field('sessionContext', contextText),
  ),
);
const recordText = objectText(
  some(
    field('eventSource', stringText(fc.constantFrom('s3.amazonaws.com', 'dynamodb.amazonaws.com', 'sqs.amazonaws.com'))),
    field('eventName', stringText(fc.constantFrom('GetObject', 'PutItem', 'SendMessage', 'ListBuckets'))),
    field('eventTime', stringText(fc.constantFrom('2026-10-01T12:00:00Z', '2026-10-01T12:00:00.123Z', 'yesterday'))),
    field('eventType', stringText(fc.constantFrom('AwsApiCall', 'AwsServiceEvent'))),
    field('eventCategory', stringText(fc.constantFrom('Management', 'Data', 'Insight'))),
    field('awsRegion', stringText(fc.constantFrom('us-east-1', 'eu-west-1'))),
    field('eventID', stringText(fc.uuid())),
    field('errorCode', stringText(fc.constantFrom('AccessDenied', 'ThrottlingException'))),
    field('errorMessage', stringText(fc.string())),
    field('managementEvent', fc.constantFrom('true', 'false', 'null', '0')),
    field('requestParameters', anyValueText),
    field('resources', fc.array(fc.record({ ARN: fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::b'), type: fc.constant('AWS::S3::Object') }), { maxLength: 2 }).map(jsonText)),
    field('tlsDetails', objectText(some(field('clientProvidedHostHeader', stringText(fc.constantFrom('b.s3.amazonaws.com', 'x.s3-outposts.amazonaws.com')))))),
    field('userIdentity', identityText),
    field('userIdentity', identityText),
  ),
);
const recordOrOther = fc.oneof({ weight: 9, arbitrary: recordText }, { weight: 1, arbitrary: anyValueText });
const ws = fc.constantFrom('', ' ', '\n', '\r\n\t ');
const documentText = fc
  .tuple(fc.array(recordOrOther, { maxLength: 6 }), ws, ws, fc.option(anyValueText))
  .map(([records, a, b, extra]) => `${a}{${extra === null ? '' : `"other":${extra},`}"Records"${b}:${b}[${records.join(`,${a}`)}]${a}}${b}`);

const parsesAs = (text: string): unknown[] | undefined => {
  try {
    return (JSON.parse(text) as { Records: unknown[] }).Records;
  } catch {
    return undefined;
  }
};

describe('native record scanner', () => {
  it('is built here (npm ci compiles it), so the tests below test it', () => {
    expect(nativeScanner, 'native/scan.c did not build: run `npm run build:native` and read its errors').toBe(true);
  });

  it('gives every record the Call that JSON.parse of the whole file gives', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const expected = parsesAs(text);
        expect(expected).toBeDefined();
        const scanned = scanRecords(Buffer.from(text, 'latin1'));
        expect(scanned).toBeDefined();
        expect(scanned?.records.length).toBe(expected?.length);
        scanned?.records.forEach((r, i) => expect(normalize(r)).toEqual(normalize(expected?.[i])));
      }),
      { numRuns: 1500 },
    );
  });

  it('accepts nothing JSON.parse rejects, and agrees on what both accept (mutated files)', () => {
    const mutation = fc.tuple(fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '-', '.', 'e', 'x', '\u0001', 'tru', 'nul'), fc.boolean());
    fc.assert(
      fc.property(documentText, mutation, (text, [at, insert, remove]) => {
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + insert + text.slice(remove ? i + 1 : i);
        const expected = parsesAs(mutated);
        const scanned = scanRecords(Buffer.from(mutated, 'latin1'));
        if (!Array.isArray(expected)) expect(scanned).toBeUndefined();
        else if (scanned) scanned.records.forEach((r, i) => expect(normalize(r)).toEqual(normalize(expected[i])));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a trailing comma', '{"Records":[{"eventName":"A"},]}'],
    ['a leading zero', '{"Records":[{"n":01}]}'],
    ['a raw control character in a string', '{"Records":[{"eventName":"A\u0001"}]}'],
    ['an unknown escape', '{"Records":[{"eventName":"\\x41"}]}'],
    ['a short \\u escape', '{"Records":[{"eventName":"\\u41"}]}'],
    ['a bare minus', '{"Records":[{"n":-}]}'],
    ['a number ending in a point', '{"Records":[{"n":1.}]}'],
    ['text after the document', '{"Records":[]} x'],
    ['two Records arrays', '{"Records":[],"Records":[{}]}'],
    ['Records spelled with an escape', '{"Reco\\u0072ds":[]}'],
    ['Records not an array', '{"Records":{}}'],
    ['a bare array', '[{"eventName":"A"}]'],
    ['nesting deeper than the scanner goes', `{"Records":[{"a":${'['.repeat(300)}${']'.repeat(300)}}]}`],
  ])('leaves %s to JSON.parse', (_, text) => {
    expect(scanRecords(Buffer.from(text, 'latin1'))).toBeUndefined();
  });

  it('still reads what it leaves to JSON.parse: deep nesting, lookup-events output, UTF-8', () => {
    const deep = `{"Records":[{"eventName":"A","x":${'['.repeat(300)}${']'.repeat(300)}}]}`;
    const lookup = JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify({ eventName: 'B' }) }] });
    const utf8 = '{"Records":[{"eventName":"C","requestParameters":{"key":"été"}}]}';
    for (const [text, name] of [[deep, 'A'], [lookup, 'B'], [utf8, 'C']] as const) {
      const out = fileRecords(Buffer.from(text, 'utf8'), 'f.json', () => {});
      expect(out.shapes).toBeUndefined();
      expect((out.records[0] as { eventName: string }).eventName).toBe(name);
    }
  });

  it('takes a repeated key as JSON.parse does: the last one, with nothing left of the first', () => {
    const identity = (issuer: boolean): string => `{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s"${issuer ? `,"sessionContext":{"sessionIssuer":{"arn":"${ARN}"}}` : ''}}`;
    const rec = (...identities: string[]): string => `{"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventTime":"2026-10-01T00:00:00Z"${identities.map((i) => `,"userIdentity":${i}`).join('')}}`;
    const text = `{"Records":[${rec(identity(true), identity(false))},${rec(identity(false), identity(true))},${rec(identity(true), '"x"')}]}`;
    const scanned = scanRecords(Buffer.from(text, 'latin1'))?.records ?? [];
    expect(scanned.map((r) => normalize(r))).toEqual(parsesAs(text)?.map((r) => normalize(r)));
    expect(scanned.map((r) => 'call' in normalize(r))).toEqual([false, true, false]);
  });

  it('profiles files with repeating shapes, and catalog loads pending mid-file, as JSON.parse does', async () => {
    // Few roles, events and requests, so shapes repeat within and across files; several services,
    // so calls queue behind catalog loads in the middle of a file.
    const events = [
      ['s3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' }],
      ['s3.amazonaws.com', 'PutObject', { bucketName: 'b', key: 'k2' }],
      ['dynamodb.amazonaws.com', 'GetItem', { tableName: 't' }],
      ['sqs.amazonaws.com', 'SendMessage', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }],
      ['kms.amazonaws.com', 'Decrypt', null],
      ['sns.amazonaws.com', 'Publish', { topicArn: 'arn:aws:sns:us-east-1:123456789012:t' }],
    ] as const;
    const call = fc.record({ event: fc.constantFrom(...events), role: fc.constantFrom('a', 'b'), second: fc.nat(59), error: fc.constantFrom(undefined, 'AccessDenied') });
    const toRecord = (c: { event: (typeof events)[number]; role: string; second: number; error: string | undefined }, id: string): unknown => ({
      eventSource: c.event[0],
      eventName: c.event[1],
      eventTime: `2026-10-01T00:00:${String(c.second).padStart(2, '0')}Z`,
      eventID: id,
      awsRegion: 'us-east-1',
      errorCode: c.error,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/${c.role}/${c.role}`, sessionContext: { sessionIssuer: { arn: `arn:aws:iam::123456789012:role/${c.role}` } } },
      requestParameters: c.event[2],
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(call, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 5 }), async (files) => {
        const scanned = new Profiler(new Catalog());
        const parsed = new Profiler(new Catalog());
        let n = 0;
        for (const [f, calls] of files.entries()) {
          const bytes = Buffer.from(JSON.stringify({ Records: calls.map((c) => toRecord(c, String(n++))) }), 'latin1');
          const s = scanRecords(bytes);
          expect(s).toBeDefined();
          await scanned.addBatch({ origin: `f${f}`, bytes: bytes.length, ...(s as NonNullable<typeof s>) }, 'files');
          await parsed.addBatch({ origin: `f${f}`, bytes: bytes.length, records: (JSON.parse(bytes.toString('latin1')) as { Records: unknown[] }).Records }, 'files');
        }
        expect(serializeUsage(scanned.usage)).toBe(serializeUsage(parsed.usage));
      }),
      { numRuns: 60 },
    );
  });

  // Past one generation of the scanner's tables (8,192 entries), numbers wrap onto the same
  // cache slots: what a slot holds must be checked against the number, not taken. Each value
  // comes twice in a row, so that it is numbered (from its second sighting) in every generation.
  // Three events on three buckets, so that a stale mapping shows as an event on a wrong bucket.
  const EVENTS = ['GetObject', 'DeleteObject', 'PutObject'];
  const manyRecords = (count: number, run: string, file = 0): unknown[] =>
    Array.from({ length: count }, (_, i) => {
      const j = Math.floor(i / 2);
      return {
        eventSource: 's3.amazonaws.com',
        eventName: EVENTS[j % 3],
        eventTime: '2026-10-01T00:00:00Z',
        eventID: `${run}-${file}-${i}`,
        userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/r/${run}-${j}`, sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/r' } } },
        requestParameters: { bucketName: `b${j % 3}`, key: `${run}/${j}` },
      };
    });

  it('gives the right strings past many generations of numbered names', () => {
    const records = manyRecords(40_000, `g${Date.now()}`);
    const scanned = scanRecords(Buffer.from(JSON.stringify({ Records: records }), 'latin1'));
    expect(scanned?.records.length).toBe(records.length);
    records.forEach((r, i) => expect(normalize(scanned?.complete(i))).toEqual(normalize(r)));
  });

  it('maps the right shapes past many generations of shapes', async () => {
    const run = `s${Date.now()}`;
    const scanned = new Profiler(new Catalog());
    const parsed = new Profiler(new Catalog());
    for (let f = 0; f < 2; f++) {
      const records = manyRecords(40_000, run, f);
      const bytes = Buffer.from(JSON.stringify({ Records: records }), 'latin1');
      await scanned.addBatch({ origin: `f${f}`, bytes: bytes.length, ...(scanRecords(bytes) as NonNullable<ReturnType<typeof scanRecords>>) }, 'files');
      await parsed.addBatch({ origin: `f${f}`, bytes: bytes.length, records }, 'files');
    }
    expect(serializeUsage(scanned.usage)).toBe(serializeUsage(parsed.usage));
  });

  it('gives library users whole records when they ask (FileSource wholeRecords)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-scan-'));
    const record = { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', userAgent: 'aws-sdk', responseElements: { ok: 1 } };
    await writeFile(join(dir, 'a.json'), JSON.stringify({ Records: [record] }));
    const first = async (wholeRecords: boolean): Promise<unknown> => {
      for await (const batch of new FileSource({ paths: [dir], wholeRecords }).batches(() => {})) return batch.records[0];
    };
    expect(await first(true)).toEqual(record);
    const slim = (await first(false)) as Record<string, unknown>;
    expect(slim).toMatchObject({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' });
    expect('userAgent' in slim || 'responseElements' in slim).toBe(false);
  });

  it('profiles the sample trail to the same Usage as JSON.parse does, in one thread and in workers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-scan-'));
    const bin = join(ROOT, 'dist', 'cli', 'bin.js');
    const run = (name: string, workers: number, env: NodeJS.ProcessEnv): Promise<string> => {
      const out = join(dir, `${name}.json`);
      execFileSync(process.execPath, [bin, 'profile', CORPUS, '-o', out, '-q', '--workers', String(workers)], { env: { ...process.env, ...env } });
      return readFile(out, 'utf8');
    };
    const plain = await run('js', 1, { IAM_TAILOR_SCANNER: 'js' });
    expect(await run('native1', 1, {})).toBe(plain);
    expect(await run('native2', 2, {})).toBe(plain);
  });
});
