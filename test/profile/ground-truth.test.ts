import { describe, expect, it } from 'vitest';
import { generatePolicies } from '../../src/policy/generate.js';
import type { Usage } from '../../src/profile/usage.js';
import { CORPUS, manifest, profiled, SAMPLES, type Manifest } from '../support/fixtures.js';

function grantedActions(usage: Usage, role: string): Set<string> {
  const policy = generatePolicies(usage).find((p) => p.principal === role);
  const actions = new Set<string>();
  for (const s of policy?.document.Statement ?? []) for (const a of [s.Action ?? []].flat()) actions.add(a);
  return actions;
}

// The generator's manifest is the independent truth: what each role's successful calls needed.
describe.each([
  ['samples', SAMPLES],
  ['corpus-20k', CORPUS],
] as const)('ground truth: %s', (name, path) => {
  const truth: Manifest = manifest(name === 'samples' ? 'samples' : 'corpus');

  it('profiles every role of the manifest and no other', async () => {
    const usage = await profiled(path);
    const roles = Object.keys(usage.principals).filter((r) => Object.keys(usage.principals[r]?.actions ?? {}).length > 0);
    expect(roles.sort()).toEqual(Object.keys(truth.roles).sort());
  });

  it.each(Object.keys(truth.roles))('grants exactly the used actions of %s', async (role) => {
    const usage = await profiled(path);
    expect([...grantedActions(usage, role)].sort()).toEqual(truth.roles[role]?.used);
  });

  it('never grants an action that was only denied, and reports denials', async () => {
    const usage = await profiled(path);
    for (const [role, t] of Object.entries(truth.roles)) {
      const granted = grantedActions(usage, role);
      for (const d of t.denied) expect(granted.has(d), `${role} ${d}`).toBe(false);
      const reported = Object.keys(usage.principals[role]?.denied ?? {}).filter((a) => !granted.has(a));
      for (const a of reported) expect(t.denied, `${role} reported ${a}`).toContain(a);
      if (t.denied.length) expect(reported.length, role).toBeGreaterThan(0);
    }
  });

  it('reports the unmapped event and keeps the sessions (functions) of each role', async () => {
    const usage = await profiled(path);
    const unmapped = new Set(Object.values(usage.principals).flatMap((p) => Object.keys(p.unmapped)));
    expect([...unmapped].sort()).toEqual(truth.unmapped);
    for (const [role, t] of Object.entries(truth.roles)) {
      for (const s of t.sessions) expect(Object.keys(usage.principals[role]?.sessions ?? {})).toContain(s);
    }
  });
});
