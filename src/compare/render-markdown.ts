import { alikeButName, CLASSES, type ClassifiedAction } from './classify.js';
import { mdFence, mdText } from './markdown.js';
import type { Comparison } from './report.js';
import { describeRisk } from './risk.js';
import { rolePatch, type PatchInput } from './unified.js';

export interface MarkdownOptions {
  /** Guardrails in force, stated in the PR body. */
  readonly guardrails?: readonly string[];
  readonly window?: { readonly first: string; readonly last: string } | null;
  /** A changed role's unified diff, when made elsewhere (by default, here). */
  readonly patch?: (role: PatchInput) => string;
}

/** A row of the actions table after its first cell. */
function rowTail(a: ClassifiedAction): string {
  const change = a.class === 'unused' && !a.after.length ? 'removed' : a.class === 'missing' ? (a.after.length ? 'added' : 'reported') : a.class === 'used' ? `narrowed to ${a.after.map(mdText).join(', ')}` : 'kept';
  return ` | ${a.class} | ${change} | ${mdText(a.reason ?? '')} |`;
}

/** A PR comment: summary table, then one collapsible section per role. */
export function renderMarkdown(comparisons: readonly Comparison[], opts: MarkdownOptions = {}): string {
  const changed = comparisons.filter((c) => c.changed);
  const out: string[] = ['## iam-tailor: least-privilege proposal', ''];
  out.push(`${changed.length} of ${comparisons.length} roles would change.${opts.window ? ` Observed ${mdText(opts.window.first)} to ${mdText(opts.window.last)}.` : ''}`, '');
  out.push(`| role | ${CLASSES.join(' | ')} | risk before | risk after |`);
  out.push(`|---|${CLASSES.map(() => '---:').join('|')}|---|---|`);
  for (const c of comparisons) {
    out.push(`| ${mdText(c.name)} | ${CLASSES.map((k) => c.counts[k]).join(' | ')} | ${c.risk.before.length} | ${c.risk.after.length} |`);
  }
  out.push('');
  if (opts.guardrails?.length) {
    out.push('**Guardrails**', '');
    for (const g of opts.guardrails) out.push(`- ${mdText(g)}`);
    out.push('');
  }
  for (const c of comparisons) {
    // Each role's lines are joined at once: 200,000 rows kept apart until the end cost the GC dearly.
    const lines = ['<details>', `<summary>${mdText(c.role)}${c.changed ? '' : ' (no change)'}</summary>`, ''];
    if (!c.observed) lines.push('No successful calls observed: left alone.', '');
    lines.push(`Risk before: ${c.risk.before.length ? c.risk.before.map((r) => mdText(describeRisk(r))).join(', ') : 'none'}. Risk after: ${c.risk.after.length ? c.risk.after.map((r) => mdText(describeRisk(r))).join(', ') : 'none'}.`, '');
    const rows = c.actions.filter((a) => a.class !== 'used' || a.before.join() !== a.after.join());
    if (rows.length) {
      lines.push('| action | class | change | why |', '|---|---|---|---|');
      // A removed `svc:*` is hundreds of rows that differ only in the action: the rest is made once a run.
      let prev: ClassifiedAction | undefined;
      let tail = '';
      for (const a of rows) {
        if (!alikeButName(a, prev)) tail = rowTail(a);
        prev = a;
        lines.push(`| ${mdText(a.action)}${tail}`);
      }
      lines.push('');
    }
    for (const n of c.notes) lines.push(`Note: ${mdText(n)}`, '');
    if (c.changed) lines.push(mdFence((opts.patch ?? rolePatch)(c), 'diff'), '');
    lines.push('</details>', '');
    out.push(lines.join('\n'));
  }
  return out.join('\n');
}
