import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPolicy } from '../../src/policy/document.js';
import { generatePolicies } from '../../src/policy/generate.js';
import { Profiler } from '../../src/profile/profiler.js';
import { mergeUsage, serializeUsage, type Usage } from '../../src/profile/usage.js';
import { catalog } from '../support/fixtures.js';
import { genCall, OPS, roleArn, toRecord, type GenCall } from '../support/record-gen.js';

/** Profiles "files" (lists of records) in memory, in the order given. */
async function profile(files: readonly (readonly Record<string, unknown>[])[], names: readonly string[] = files.map((_, i) => `file-${i}`)): Promise<Usage> {
  const p = new Profiler(catalog());
  for (const [i, records] of files.entries()) {
    await p.addBatch({ origin: names[i] as string, records, bytes: 0 }, 'files');
    p.recordFile(names[i] as string);
  }
  p.usage.files.sort();
  return p.usage;
}

const calls = fc.array(genCall, { minLength: 1, maxLength: 60 });
const RUNS = { numRuns: 60 };

beforeAll(async () => {
  await catalog().load(['s3', 'dynamodb', 'sqs', 'lambda', 'secretsmanager', 'ssm', 'cloudwatch']);
});

describe('properties (fast-check)', () => {
  it('merge is associative and commutative, and merging shards equals profiling their union', async () => {
    await fc.assert(
      fc.asyncProperty(calls, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), async (cs, i, j) => {
        const records = cs.map(toRecord);
        const [a, b] = [Math.min(i, j, records.length), Math.min(Math.max(i, j), records.length)];
        const [x, y, z] = [await profile([records.slice(0, a)], ['file-0']), await profile([records.slice(a, b)], ['file-1']), await profile([records.slice(b)], ['file-2'])];
        const whole = serializeUsage(await profile([records.slice(0, a), records.slice(a, b), records.slice(b)]));
        expect(serializeUsage(mergeUsage(mergeUsage(x, y), z))).toBe(whole);
        expect(serializeUsage(mergeUsage(x, mergeUsage(y, z)))).toBe(whole);
        expect(serializeUsage(mergeUsage(z, mergeUsage(x, y)))).toBe(whole);
      }),
      RUNS,
    );
  });

  it('generate ∘ profile does not depend on the order of files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(calls, { minLength: 1, maxLength: 5 }), fc.infiniteStream(fc.nat()), async (fileCalls, rnd) => {
        let k = 0;
        const files = fileCalls.map((cs) => cs.map((c) => toRecord(c, k++)));
        const shuffled = [...files];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (rnd.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof files)[number], shuffled[i] as (typeof files)[number]];
        }
        const render = (u: Usage): string[] => generatePolicies(u).map((p) => renderPolicy(p.document));
        expect(render(await profile(shuffled))).toEqual(render(await profile(files)));
      }),
      RUNS,
    );
  });

  it('the generated policy allows every successful call and no action outside them (simulated)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(genCall, { minLength: 1, maxLength: 25 }), async (cs: GenCall[]) => {
        const usage = await profile([cs.map(toRecord)]);
        const policies = new Map(generatePolicies(usage).map((p) => [p.principal, p.document]));
        for (const c of cs) {
          const op = OPS[c.op] as (typeof OPS)[number];
          const policy = policies.get(roleArn(c.role));
          const allowedIn = async (action: string): Promise<string> => {
            if (!policy) return 'ImplicitlyDenied';
            const r = await runSimulation({ identityPolicies: [{ name: 'g', policy }], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: undefined, request: { principal: roleArn(c.role), action, resource: { resource: op.resource(c.target), accountId: '123456789012' }, contextVariables: {} } }, { simulationMode: 'Strict' });
            return r.resultType === 'error' ? 'error' : r.overallResult;
          };
          const succeeded = cs.some((o) => o.role === c.role && o.op === c.op && o.target === c.target && o.error === 'none');
          const granted = (policy?.Statement ?? []).some((s) => [s.Action].flat().includes(op.action));
          if (succeeded) expect(await allowedIn(op.action), `${op.action} ${op.resource(c.target)}`).toBe('Allowed');
          if (!cs.some((o) => o.role === c.role && o.op === c.op && o.error === 'none')) expect(granted, `${op.action} only denied/throttled`).toBe(false);
        }
        for (const [role, doc] of policies) {
          const observed = new Set(cs.filter((c) => roleArn(c.role) === role && c.error === 'none').map((c) => OPS[c.op]?.action));
          for (const s of doc.Statement) for (const a of [s.Action].flat()) expect(observed.has(a as string), `${role} grants ${a}`).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });
});
