import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { generatePolicies } from '../../src/policy/generate.js';
import type { PolicyDocument } from '../../src/policy/document.js';
import { catalog, manifest, profiled, SAMPLES } from '../support/fixtures.js';

/** A concrete resource a real call could have named, from an observed resource pattern. */
function concrete(resource: string): string {
  return resource.replace(/\?{6}$/, 'AbCdEf').replace(/\$\{([*?$])\}/g, '$1').replace(/\*/g, 'x');
}

/**
 * KMS keys and role trust policies must also allow the call; give them the defaults an account
 * gets (the key policy and trust policy delegate to the account's IAM policies).
 */
function resourcePolicyFor(action: string, account: string): PolicyDocument | undefined {
  if (!action.startsWith('kms:') && !action.startsWith('sts:')) return undefined;
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: action, Resource: '*' }] };
}

async function allowed(policy: PolicyDocument, principal: string, action: string, resource: string): Promise<string> {
  const account = principal.split(':')[4] as string;
  const r = await runSimulation(
    {
      identityPolicies: [{ name: 'generated', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicyFor(action, account),
      request: { principal, action, resource: { resource, accountId: account }, contextVariables: {} },
    },
    { simulationMode: 'Strict' },
  );
  if (r.resultType === 'error') return `error: ${JSON.stringify(r.errors).slice(0, 300)}`;
  return r.overallResult;
}

// iam-simulate is an independent IAM evaluator (tests only: it is AGPL).
describe('generated policies, simulated', () => {
  it('allow every successful call observed in the samples', async () => {
    const usage = await profiled(SAMPLES);
    const policies = new Map(generatePolicies(usage).map((p) => [p.principal, p.document]));
    let checked = 0;
    for (const [role, p] of Object.entries(usage.principals)) {
      const policy = policies.get(role);
      for (const kind of ['actions', 'implied'] as const) {
        for (const [action, byResource] of Object.entries(p[kind])) {
          expect(policy, role).toBeDefined();
          for (const resource of Object.keys(byResource)) {
            const res = resource === '*' ? '*' : concrete(resource);
            expect(await allowed(policy as PolicyDocument, role, action, res), `${role} ${action} ${res}`).toBe('Allowed');
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('grant nothing beyond the observed actions: an unobserved action of the same service is denied', async () => {
    const usage = await profiled(SAMPLES);
    const truth = manifest('samples');
    for (const g of generatePolicies(usage)) {
      const granted = new Set(g.document.Statement.flatMap((s) => [s.Action ?? []].flat()));
      for (const a of granted) expect(truth.roles[g.principal]?.used, `${g.principal} ${a}`).toContain(a);
      for (const s of g.document.Statement) {
        const resource = concrete([s.Resource ?? '*'].flat()[0] as string);
        const first = catalog().action([s.Action].flat()[0] as string);
        const matching = (first?.resourceTypes ?? []).filter((t) => new RegExp(`^${t.arn.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+')}$`).test(resource));
        const types = new Set(matching.map((t) => t.key));
        // An action of the same service on the same kind of resource, never observed.
        const unobserved = catalog()
          .actionsOf((first?.id ?? ':').split(':')[0] as string)
          .find((a) => !granted.has(a.id) && a.resourceTypes.some((t) => types.has(t.key)));
        if (!unobserved) continue;
        expect(await allowed(g.document, g.principal, unobserved.id, resource), `${g.principal} ${unobserved.id}`).toBe('ImplicitlyDenied');
      }
    }
  });

  it('grant a key with literal * ? $ exactly: escaped in the policy, matched literally by IAM', async () => {
    const { escapeResourceName } = await import('../../src/profile/escape.js');
    const { buildDocument } = await import('../../src/policy/generate.js');
    const role = 'arn:aws:iam::123456789012:role/r';
    // (iam-simulate 0.1 mis-reads three escapes in a row, so the cases are one or two per key.)
    const keys = ['reports/a*b', 'reports/c?d', 'reports/e$f', 'reports/*?'];
    const doc = buildDocument(new Map([['s3:GetObject', keys.map((k) => `arn:aws:s3:::b/${escapeResourceName(k)}`)]]));
    for (const k of keys) expect(await allowed(doc, role, 's3:GetObject', `arn:aws:s3:::b/${k}`), k).toBe('Allowed');
    for (const k of ['reports/aXb', 'reports/cXd', 'reports/abc', 'reports/e$fg']) expect(await allowed(doc, role, 's3:GetObject', `arn:aws:s3:::b/${k}`), k).toBe('ImplicitlyDenied');
  });
});
