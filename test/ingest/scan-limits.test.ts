import { createRequire } from 'node:module';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scanRecords } from '../../src/ingest/scan.js';
import { normalize } from '../../src/profile/call.js';

// A file of its own, so a thread of its own: the scanner's tables are per thread, and this test
// uses up their generations.
describe('the scanner at its last generation', () => {
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
