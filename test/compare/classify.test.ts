import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/document.js';
import { CLASSES } from '../../src/compare/classify.js';
import { catalog, profiled, SAMPLES } from '../support/fixtures.js';
import { sampleComparisons } from '../support/compare.js';

const find = async (name: string) => (await sampleComparisons()).find((c) => c.name === name);

async function simulate(policy: PolicyDocument, principal: string, action: string, resource: string): Promise<string> {
  const account = principal.split(':')[4] as string;
  const resourcePolicy = action.startsWith('kms:') || action.startsWith('sts:') ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: action, Resource: '*' }] } : undefined;
  const r = await runSimulation({ identityPolicies: [{ name: 'p', policy }], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy, request: { principal, action, resource: { resource, accountId: account }, contextVariables: {} } }, { simulationMode: 'Strict' });
  return r.resultType === 'error' ? `error ${JSON.stringify(r.errors).slice(0, 200)}` : r.overallResult;
}

describe('classification over the samples', () => {
  it('every class appears, each with the right kind of action', async () => {
    const all = await sampleComparisons();
    const byClass = Object.fromEntries(CLASSES.map((k) => [k, all.flatMap((c) => c.actions.filter((a) => a.class === k).map((a) => a.action))]));
    for (const k of CLASSES) expect(byClass[k]?.length, k).toBeGreaterThan(0);
    expect(byClass.unobservable).toContain('iam:PassRole');
    expect(byClass.platform).toContain('logs:PutLogEvents');
    expect(byClass.platform).toContain('xray:PutTraceSegments');
    expect(byClass.platform).toContain('ec2:CreateNetworkInterface');
    expect(byClass.platform).toContain('sqs:GetQueueAttributes');
    expect(byClass.platform).toContain('sqs:SendMessage');
    expect(byClass.unused).toContain('ssm:DeleteParameter');
  });

  it('a used action the policy lost is missing, reported and not added', async () => {
    const reports = await find('reports-fn-role-3');
    const kms = reports?.actions.find((a) => a.action === 'kms:Encrypt');
    expect(kms).toMatchObject({ class: 'missing', after: [] });
    expect(JSON.stringify(reports?.proposed)).not.toContain('kms:Encrypt');
  });

  it('used actions keep exactly the observed actions and narrow their resources', async () => {
    const usage = await profiled(SAMPLES);
    for (const c of await sampleComparisons()) {
      const observed = new Set([...Object.keys(usage.principals[c.role]?.actions ?? {}), ...Object.keys(usage.principals[c.role]?.implied ?? {})]);
      const used = c.actions.filter((a) => a.class === 'used').map((a) => a.action);
      for (const a of used) expect(observed.has(a), `${c.name} ${a}`).toBe(true);
      for (const a of c.actions.filter((x) => x.class === 'used')) expect(a.after.includes('*') && catalog().action(a.action)?.resourceTypes.some((t) => t.required), `${c.name} ${a.action} still on *`).toBeFalsy();
    }
  });

  it('removing the unused actions still allows every observed call (simulated), and denies a removed one', async () => {
    const usage = await profiled(SAMPLES);
    let checked = 0;
    for (const c of await sampleComparisons()) {
      const p = usage.principals[c.role];
      for (const [action, byResource] of Object.entries(p?.actions ?? {})) {
        if (c.actions.find((a) => a.action === action)?.class === 'missing') continue; // never granted
        for (const r of Object.keys(byResource)) {
          const res = r === '*' ? '*' : r.replace(/\?{6}$/, 'AbCdEf').replace(/\*/g, 'x');
          expect(await simulate(c.proposed, c.role, action, res), `${c.name} ${action} ${res}`).toBe('Allowed');
          checked++;
        }
      }
      const removed = c.actions.find((a) => a.class === 'unused' && a.action === 'ssm:DeleteParameter');
      if (removed) expect(await simulate(c.proposed, c.role, 'ssm:DeleteParameter', `arn:aws:ssm:us-east-1:${c.account}:parameter/x`)).toBe('ImplicitlyDenied');
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('names the risk before and after: iam:PassRole on * stays (permission-only, kept), s3 and dynamodb on * go', async () => {
    const orders = await find('orders-fn-role-0');
    expect(orders?.risk.before.map((r) => r.action)).toEqual(expect.arrayContaining(['iam:PassRole', 's3:GetObject', 'dynamodb:Scan']));
    expect(orders?.risk.after.map((r) => r.action)).toEqual(['iam:PassRole']);
  });
});
