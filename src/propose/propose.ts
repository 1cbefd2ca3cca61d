import { relative, sep } from 'node:path';
import { renderPolicy } from '../policy/document.js';
import type { Comparison } from '../compare/report.js';
import { renderMarkdown } from '../compare/render-markdown.js';

export interface ProposeGuardrails {
  /** Below this observation window, no removal is proposed. */
  readonly minDays: number;
}

export interface Proposal {
  readonly title: string;
  readonly body: string;
  readonly message: string;
  readonly files: readonly { readonly path: string; readonly content: string; readonly role: string }[];
  readonly guardrails: readonly string[];
  readonly windowDays: number;
}

export function windowDays(window: { first: string; last: string } | null): number {
  if (!window) return 0;
  return (Date.parse(window.last) - Date.parse(window.first)) / 86_400_000;
}

/** What the bot proposes: the changed policy files of observed roles, a title, a body. */
export function buildProposal(comparisons: readonly Comparison[], repoRoot: string, window: { first: string; last: string } | null, g: ProposeGuardrails): Proposal {
  const days = windowDays(window);
  const guardrails = [
    `minimum observation window ${g.minDays} days (observed ${days.toFixed(1)})${days < g.minDays ? ': no removals proposed' : ''}`,
    'unobservable and platform permissions are never removed',
    'roles with no successful calls in the window are left alone',
    'denied or missing permissions are reported, not added',
  ];
  const files = comparisons
    .filter((c) => c.observed && c.changed && c.file)
    .map((c) => ({ role: c.role, path: relative(repoRoot, c.file as string).split(sep).join('/'), content: renderPolicy(c.proposed) }));
  const touched = comparisons.filter((c) => files.some((f) => f.role === c.role));
  const removed = touched.reduce((n, c) => n + c.actions.filter((a) => a.class === 'unused' && a.after.length === 0).length, 0);
  const narrowed = touched.reduce((n, c) => n + c.actions.filter((a) => a.class === 'used' && a.before.join() !== a.after.join()).length, 0);
  const title = `iam-tailor: tighten ${files.length} role ${files.length === 1 ? 'policy' : 'policies'} (${removed} actions removed, ${narrowed} narrowed)`;
  const message = [title, '', ...touched.map((c) => `- ${c.name}: ${c.counts.unused} unused removed, ${c.counts.used} used, ${c.counts.unobservable} unobservable kept, ${c.counts.platform} platform kept`), '', `Observed ${window ? `${window.first} to ${window.last}` : 'no events'}.`, ''].join('\n');
  return { title, body: renderMarkdown(touched, { guardrails, window }), message, files, guardrails, windowDays: days };
}
