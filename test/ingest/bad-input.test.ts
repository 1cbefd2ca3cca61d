import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FIXTURES, profilePaths, ROOT } from '../support/fixtures.js';

const bad = (name: string): string => join(FIXTURES, 'bad', name);
const ROLE = 'arn:aws:iam::123456789012:role/orders-role';

describe('broken and hostile input: no crash, a warning naming file and record, the rest processed', () => {
  it('invalid UTF-8: decoded with replacement, warned, the record still counts', async () => {
    const { usage, problems } = await profilePaths([bad('invalid-utf8.json')]);
    expect(problems.map((p) => [p.code, p.place.file])).toEqual([['bad-encoding', bad('invalid-utf8.json')]]);
    expect(Object.keys(usage.principals[ROLE]?.actions ?? {})).toEqual(['sqs:SendMessage']);
  });

  it('records of the wrong types (userIdentity a string, eventTime not a date): each named by index', async () => {
    const { usage, problems } = await profilePaths([bad('wrong-types.json')]);
    expect(problems.map((p) => [p.place.record, p.message])).toEqual([
      [1, 'record skipped: userIdentity is not an object'],
      [2, 'record skipped: eventTime is not a date'],
    ]);
    expect(Object.keys(usage.principals[ROLE]?.actions ?? {}).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage']);
    expect(usage.input.skipped.malformed).toBe(2);
  });

  it('an unknown future eventVersion is read like any other', async () => {
    const { usage, problems } = await profilePaths([bad('future-event-version.json')]);
    expect(problems).toEqual([]);
    expect(Object.keys(usage.principals[ROLE]?.actions ?? {})).toEqual(['sqs:SendMessage']);
  });

  it('huge requestParameters: mapped, with the queue, without walking the whole tree', async () => {
    const { usage, problems } = await profilePaths([bad('huge-request-parameters.json')]);
    expect(problems).toEqual([]);
    expect(usage.principals[ROLE]?.actions['sqs:SetQueueAttributes']).toHaveProperty(['arn:aws:sqs:eu-west-1:123456789012:orders']);
  });

  it('duplicate eventIDs across files are counted once', async () => {
    const { usage } = await profilePaths([bad('duplicates')]);
    expect(usage.input.duplicates).toBe(1);
    expect(usage.principals[ROLE]?.actions['sqs:SendMessage']?.['arn:aws:sqs:eu-west-1:123456789012:orders']?.count).toBe(1);
  });

  it('unreadable entries (a directory named .json, a broken symlink) are skipped and named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-unreadable-'));
    await mkdir(join(dir, 'logs'));
    await mkdir(join(dir, 'logs', 'not-a-file.json'));
    await symlink(join(dir, 'nowhere.json'), join(dir, 'logs', 'dangling.json'));
    await writeFile(join(dir, 'logs', 'ok.json'), JSON.stringify({ Records: [] }));
    const { usage, problems } = await profilePaths([join(dir, 'logs'), join(dir, 'logs', 'not-a-file.json', '..', 'ok.json')]);
    expect(problems.map((p) => p.place.file)).toEqual([join(dir, 'logs', 'dangling.json')]);
    expect(usage.input.files).toBe(2);
    const direct = await profilePaths([join(dir, 'logs', 'dangling.json')]).catch((e: Error) => e);
    expect(String(direct)).toMatch(/no such file|ENOENT|cannot read/i);
  });

  it('a 200 MB single-line file is streamed record by record in bounded memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iam-tailor-huge-'));
    const file = join(dir, 'huge.json');
    const out = createWriteStream(file);
    const filler = 'x'.repeat(1800);
    out.write('{"Records":[');
    let bytes = 0;
    let n = 0;
    while (bytes < 200 * 1024 * 1024) {
      const r = JSON.stringify({ eventVersion: '1.09', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/orders-role/fn', sessionContext: { sessionIssuer: { arn: ROLE } } }, eventTime: '2026-10-01T12:00:00Z', eventSource: 'sqs.amazonaws.com', eventName: 'SendMessage', awsRegion: 'eu-west-1', requestParameters: { queueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/q${n % 7}`, messageBody: filler }, eventID: `e-${n}` });
      if (!out.write(n ? `,${r}` : r)) await once(out, 'drain');
      bytes += r.length + 1;
      n++;
    }
    out.end(']}');
    await once(out, 'finish');
    const probe = `import { run } from ${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))};
      const code = await run(['profile', ${JSON.stringify(file)}, '-o', ${JSON.stringify(join(dir, 'u.json'))}, '-q', '--workers', '1']);
      process.stdout.write(JSON.stringify({ code, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    const v = JSON.parse(r.stdout) as { code: number; rssMb: number };
    expect(v.code, r.stderr).toBe(0);
    // Read whole, the text alone is 200 MB and its parse several times that (over 1 GB here).
    expect(v.rssMb).toBeLessThan(256);
    const { readFile } = await import('node:fs/promises');
    const u = JSON.parse(await readFile(join(dir, 'u.json'), 'utf8')) as { input: { records: number }; principals: Record<string, { actions: Record<string, Record<string, unknown>> }> };
    expect(u.input.records).toBe(n);
    expect(Object.keys(u.principals[ROLE]?.actions['sqs:SendMessage'] ?? {})).toHaveLength(7);
  }, 120_000);
});
