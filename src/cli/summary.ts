import type { Usage } from '../profile/usage.js';
import { table } from './terminal.js';

export interface RoleSummary {
  readonly role: string;
  readonly sessions: number;
  readonly events: number;
  readonly actions: number;
  readonly denied: number;
  readonly unmapped: number;
}

export function roleSummaries(usage: Usage): RoleSummary[] {
  return Object.keys(usage.principals)
    .sort()
    .map((arn) => {
      const p = usage.principals[arn];
      if (!p) throw new Error('unreachable');
      const events = Object.values(p.sessions).reduce((n, s) => n + s.count, 0);
      return {
        role: arn,
        sessions: Object.keys(p.sessions).length,
        events,
        actions: new Set([...Object.keys(p.actions), ...Object.keys(p.implied)]).size,
        denied: Object.keys(p.denied).filter((a) => !(a in p.actions)).length,
        unmapped: Object.keys(p.unmapped).length,
      };
    });
}

/** The short table people read on stderr after a run. */
export function renderSummary(usage: Usage): string {
  const rows = roleSummaries(usage);
  const unmapped = [...new Set(Object.values(usage.principals).flatMap((p) => Object.keys(p.unmapped)))].sort();
  const skipped = Object.entries(usage.input.skipped)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    table(
      ['role', 'functions', 'events', 'actions', 'denied', 'unmapped'],
      rows.map((r) => [r.role, r.sessions, r.events, r.actions, r.denied, r.unmapped]),
    ),
    '',
    `${rows.length} roles; ${usage.input.records} records read from ${usage.input.files} files` +
      (usage.window ? ` (${usage.window.first} to ${usage.window.last})` : '') +
      `; ${usage.input.problems} problems` +
      (usage.input.duplicates ? `; ${usage.input.duplicates} duplicate records counted once` : '') +
      (skipped ? `; not role API calls: ${skipped}` : ''),
  ];
  if (unmapped.length) lines.push(`unmapped events (reported, never guessed): ${unmapped.join(', ')}`);
  if (usage.coverage.sources.includes('lookup-events')) {
    lines.push('note: LookupEvents returns management events only; data-event actions (S3 objects, DynamoDB items, Lambda Invoke, …) cannot be observed from it');
  } else if (usage.coverage.managementEvents && !usage.coverage.dataEventSources.length) {
    lines.push('note: no data events in the input; the trail may not record them, so data-plane actions cannot be observed');
  }
  return lines.join('\n');
}
