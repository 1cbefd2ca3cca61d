import { describeRisk } from './risk.js';
import type { Comparison } from './report.js';
import { CLASSES } from './classify.js';
import { rolePatch, type PatchInput } from './unified.js';

export interface TextStyle {
  readonly color: boolean;
  /** Makes a value safe for a terminal (control characters shown escaped). */
  readonly clean: (s: string) => string;
  /** A changed role's unified diff, when made elsewhere (by default, here). */
  readonly patch?: (role: PatchInput) => string;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Terraform-plan-like text: a one-line summary, then per role what is removed, narrowed, added. */
export function renderText(comparisons: readonly Comparison[], style: TextStyle): string {
  const { color, clean, patch = rolePatch } = style;
  const changed = comparisons.filter((c) => c.changed);
  let removed = 0;
  for (const c of comparisons) for (const a of c.actions) if (a.class === 'unused' && a.after.length === 0) removed++;
  const lines = [`${changed.length} of ${comparisons.length} roles would change: ${removed} actions removed.`, ''];
  for (const c of comparisons) {
    const head = `${c.changed ? paint(color, '33', '~') : ' '} ${clean(c.role)}${c.observed ? '' : '  (no successful calls observed: left alone)'}`;
    lines.push(head);
    lines.push(`  ${CLASSES.map((k) => `${k} ${c.counts[k]}`).join(', ')}`);
    lines.push(`  risk: before ${c.risk.before.length ? c.risk.before.map(describeRisk).join(', ') : 'none'}; after ${c.risk.after.length ? c.risk.after.map(describeRisk).join(', ') : 'none'}`);
    const res = (xs: readonly string[]): string => xs.map(clean).join(', ');
    // Removals are many (a service wildcard holds hundreds): one line per service, naming six.
    // Actions come sorted, so a service's run is found once, not looked up per action.
    const removed = new Map<string, { count: number; names: string[] }>();
    const others: string[] = [];
    let run: { count: number; names: string[] } | undefined;
    let prefix = '';
    for (const a of c.actions) {
      if (a.class === 'unused' && a.after.length === 0) {
        if (!run || !a.action.startsWith(prefix)) {
          const service = a.action.slice(0, Math.max(0, a.action.indexOf(':')));
          prefix = `${service}:`;
          run = removed.get(service);
          if (!run) removed.set(service, (run = { count: 0, names: [] }));
        }
        if (++run.count <= 6) run.names.push(a.action.slice(prefix.length));
      } else if (a.class === 'missing') others.push(paint(color, '32', `  + ${a.action}  (missing: ${clean(a.reason ?? '')})`));
      else if (a.class === 'used' && a.before.join() !== a.after.join()) others.push(paint(color, '33', `  ~ ${a.action}  narrowed: ${res(a.before)} → ${res(a.after)}`));
      else if (a.class === 'unobservable' || a.class === 'platform') others.push(`    ${a.action}  (${a.class}: ${clean(a.reason ?? '')})`);
    }
    for (const [service, { count, names }] of removed) {
      const shown = count > 6 ? `${names.join(', ')}, … ${count - 6} more` : names.join(', ');
      lines.push(paint(color, '31', `  - ${service}: ${count} unused ${count === 1 ? 'action' : 'actions'} removed (${shown})`));
    }
    lines.push(...others);
    for (const n of c.notes) lines.push(`  note: ${clean(n)}`);
    if (c.changed) {
      for (const l of patch(c).split('\n')) {
        const cl = clean(l);
        lines.push(`  ${l.startsWith('+') && !l.startsWith('+++') ? paint(color, '32', cl) : l.startsWith('-') && !l.startsWith('---') ? paint(color, '31', cl) : cl}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}
