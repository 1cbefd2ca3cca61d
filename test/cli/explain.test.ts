import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { SAMPLES } from '../support/fixtures.js';

describe('iam-tailor explain', () => {
  it('an event name: actions, conditions and the source of the rule', async () => {
    const r = await runCli(['explain', 'CopyObject', '--source', 's3.amazonaws.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('s3:GetObject  when: copy-source');
    expect(r.stdout).toContain('s3:PutObject  when: always');
    expect(r.stdout).toMatch(/source: https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('a legacy name, found in every source that has it', async () => {
    const r = await runCli(['explain', 'GetFunction20150331v2', '--json']);
    const v = JSON.parse(r.stdout) as { eventSource: string; name: string; actions: [string, string][] }[];
    expect(v.map((x) => [x.eventSource, x.name, x.actions[0]?.[0]])).toEqual([['lambda.amazonaws.com', 'GetFunction', 'lambda:GetFunction']]);
  });

  it('a record on stdin: the needs with resources', async () => {
    const record = {
      eventVersion: '1.09',
      eventTime: '2026-10-01T00:00:00Z',
      eventSource: 'sqs.amazonaws.com',
      eventName: 'SendMessageBatch',
      awsRegion: 'eu-west-1',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/r/fn', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/r' } } },
      requestParameters: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' },
    };
    const stdin = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([JSON.stringify(record)]) as unknown as typeof process.stdin);
    try {
      const r = await runCli(['explain', '-']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('sqs:SendMessage\n  arn:aws:sqs:eu-west-1:123456789012:jobs');
    } finally {
      stdin.mockRestore();
    }
  });

  it('a role and action in a Usage: counts, first/last seen and functions', async () => {
    const usage = join(await mkdtemp(join(tmpdir(), 'iam-tailor-explain-')), 'u.json');
    await runCli(['profile', SAMPLES, '-o', usage, '-q']);
    const r = await runCli(['explain', '--usage', usage, '--role', 'users-fn-role-5', '--action', 'dynamodb:Query', '--json']);
    const rows = JSON.parse(r.stdout) as { kind: string; count: number; first: string; last: string; sessions: string[] }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.kind === 'actions')).toBe(true);
    for (const row of rows) {
      expect(['actions', 'denied']).toContain(row.kind);
      expect(row.count).toBeGreaterThan(0);
      expect(row.first <= row.last).toBe(true);
      expect(row.sessions.length).toBeGreaterThan(0);
    }
    expect((await runCli(['explain', '--usage', usage, '--role', 'nobody', '--action', 's3:GetObject'])).code).toBe(2);
  });
});
