import { beforeAll, describe, expect, it } from 'vitest';
import table from '../../src/profile/rules/event-actions.json' with { type: 'json' };
import { renderSummary } from '../../src/cli/summary.js';
import { FileSource } from '../../src/ingest/files.js';
import { Mapper } from '../../src/profile/mapping.js';
import { CORPUS, catalog, profiled } from '../support/fixtures.js';
import { call } from '../support/records.js';

const A = '123456789012';
// Parameters that make every condition of the tables true, so that every listed action is tried.
const everything = {
  role: `arn:aws:iam::${A}:role/passed`,
  tags: { team: 'a' },
  layers: [`arn:aws:lambda:eu-west-1:${A}:layer:l:1`],
  versionId: 'v1',
  'x-amz-copy-source': 'src/key',
  'x-amz-acl': 'private',
  policy: '{}',
  sourceIdentity: 'me',
  providedContexts: [{}],
  statement: 'SELECT * FROM "t"',
  statements: [{ statement: 'INSERT INTO "t" VALUE {}' }, { statement: 'UPDATE "t" SET a = 1' }, { statement: 'DELETE FROM "t"' }],
  transactItems: [{ put: { tableName: 't' } }, { update: { tableName: 't' } }, { delete: { tableName: 't' } }, { conditionCheck: { tableName: 't' } }, { get: { tableName: 't' } }],
  bucketName: 'b',
};

describe('the catalog guards every emitted action', () => {
  const mapper = new Mapper(catalog());
  beforeAll(async () => {
    await catalog().loadAll();
  });

  it('running the whole rule table yields only catalog actions, or "unmapped" naming the missing action', () => {
    const events = table.events as Record<string, Record<string, unknown>>;
    let mapped = 0;
    const missing: string[] = [];
    for (const [source, names] of Object.entries(events)) {
      for (const name of Object.keys(names)) {
        for (const host of [undefined, 's3-outposts.eu-west-1.amazonaws.com']) {
          const m = mapper.map(call(source, name, everything, { host }));
          if (m.kind === 'mapped') {
            mapped++;
            for (const n of m.needs) expect(catalog().action(n.action)?.id, `${source} ${name} → ${n.action}`).toBe(n.action);
          } else if (m.kind === 'unmapped') {
            expect(m.reason, `${source} ${name}`).toMatch(/is not in the IAM catalog|no action applies/);
            if (!host) missing.push(`${source} ${name}`);
          }
        }
      }
    }
    expect(mapped).toBeGreaterThan(1700);
    // Facts that name actions of retired services or renamed actions: reported, never emitted.
    expect(missing.length).toBeLessThan(40);
  });

  it('unmapped events of a realistic corpus are each listed in the summary; only the fictitious one remains', async () => {
    const usage = await profiled(CORPUS);
    const distinct = new Set<string>();
    for await (const batch of new FileSource({ paths: [CORPUS] }).batches(() => {})) {
      for (const r of batch.records as { eventSource: string; eventName: string; userIdentity: { type: string } }[]) {
        if (r.userIdentity.type === 'AssumedRole') distinct.add(`${r.eventSource}:${r.eventName}`);
      }
    }
    const unmapped = [...new Set(Object.values(usage.principals).flatMap((p) => Object.keys(p.unmapped)))];
    expect(unmapped).toEqual(['quantum.amazonaws.com:DescribeQuantumWidgets']);
    const summary = renderSummary(usage);
    for (const u of unmapped) expect(summary).toContain(u);
    // The generator plants one event of a service no catalog knows; every real event maps.
    expect(unmapped.filter((k) => !k.startsWith('quantum.')).length / distinct.size).toBeLessThan(0.01);
    expect(distinct.size).toBeGreaterThan(40);
  });
});
