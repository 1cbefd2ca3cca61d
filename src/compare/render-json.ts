import type { Comparison } from './report.js';

export const DIFF_SCHEMA = 'iam-tailor/diff';

/**
 * The stable machine form (docs/diff-json.md): per role its classes, counts, risk before and
 * after, and the proposed document. Keys and lists are sorted; nothing depends on the clock.
 */
export function renderJson(comparisons: readonly Comparison[]): string {
  const roles = comparisons.map((c) => ({
    role: c.role,
    account: c.account,
    name: c.name,
    file: c.file ?? null,
    observed: c.observed,
    changed: c.changed,
    counts: c.counts,
    risk: { before: c.risk.before.map((r) => ({ ...r })), after: c.risk.after.map((r) => ({ ...r })) },
    actions: c.actions.map((a) => ({ action: a.action, class: a.class, reason: a.reason ?? null, before: a.before, after: a.after })),
    notes: c.notes,
    proposed: c.proposed,
  }));
  return `${JSON.stringify({ schema: DIFF_SCHEMA, schemaVersion: 1, changedRoles: roles.filter((r) => r.changed).length, roles }, null, 2)}\n`;
}
