import { createRequire } from 'node:module';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scanRecords } from '../../src/ingest/scan.js';
import { normalize } from '../../src/profile/call.js';

// A file of its own, so a process of its own: the scanner's tables are per thread, these tests
// need them to start empty, and the last one uses up their generations.
describe("the scanner's numbering tables", () => {
  it('numbers a call shape from its second sighting, the same whatever the time, id and session', () => {
    const role = `arn:aws:iam::123456789012:role/shape-${Date.now()}-${Math.random()}`;
    const record = (time: string, session: string, key: string): unknown => ({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventTime: time,
      eventID: `${time}-${session}`,
      awsRegion: 'us-east-1',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/r/${session}`, sessionContext: { sessionIssuer: { arn: role } } },
      requestParameters: { bucketName: 'b', key },
    });
    const file = (...records: unknown[]): Int32Array => scanRecords(Buffer.from(JSON.stringify({ Records: records }), 'latin1'))?.shapes ?? new Int32Array();
    const first = file(record('2026-10-01T00:00:00Z', 'a', 'k1'), record('2026-10-01T00:00:01Z', 'b', 'k1'), record('2026-10-01T00:00:02Z', 'c', 'k2'));
    expect(first[0]).toBe(-1);
    expect(first[1]).toBeGreaterThanOrEqual(0);
    expect(first[2]).toBe(-1);
    // A later file: the number holds across files, and another request is another shape.
    const later = file(record('2026-10-02T00:00:00Z', 'd', 'k1'), record('2026-10-02T00:00:00Z', 'e', 'k2'));
    expect(later[0]).toBe(first[1]);
    expect(later[1]).toBeGreaterThanOrEqual(0);
    expect(later[1]).not.toBe(first[1]);
  });

  it('numbers nothing new rather than reuse a number, and every value stays right', () => {
    const addon = createRequire(import.meta.url)('../../build/Release/iam_tailor_scan.node') as { limitGenerations(n: number): void };
    addon.limitGenerations(2);
    // Raised again after: numbering then goes on in new generations, so nothing is reused.
    onTestFinished(() => addon.limitGenerations(1 << 17));
    // Each request and session twice in a row, so each is numbered in its generation: three
    // generations' worth (a generation holds 8,192).
    const records = Array.from({ length: 6 * 8192 }, (_, i) => ({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventTime: '2026-10-01T00:00:00Z',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/r/s${i >> 1}`, sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/r' } } },
      requestParameters: { bucketName: 'b', key: `k${i >> 1}` },
    }));
    const scanned = scanRecords(Buffer.from(JSON.stringify({ Records: records }), 'latin1'));
    if (!scanned) throw new Error('not scanned');
    records.forEach((r, i) => expect(normalize(scanned.complete(i))).toEqual(normalize(r)));
    const keyOf = new Map<number, number>();
    for (const [i, shape] of scanned.shapes.entries()) {
      if (shape < 0) continue;
      expect(keyOf.get(shape) ?? i >> 1, `shape ${shape} stands for one request`).toBe(i >> 1);
      keyOf.set(shape, i >> 1);
    }
    // Two generations numbered; then nothing new is.
    expect(keyOf.size).toBeGreaterThanOrEqual(8192);
    expect([...scanned.shapes.subarray(-8192)].every((s) => s === -1)).toBe(true);
  });
});
