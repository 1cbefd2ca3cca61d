import { JSON_PARAMS, SCALAR_PARAMS } from '../../src/ingest/athena-sql.js';
import { ATHENA_COLUMNS } from '../../src/ingest/athena.js';

/**
 * What Athena returns for iam-tailor's query, computed in JS from raw records: the test's own
 * reading of the row contract (columns, extraction, grouping), independent of the SQL text.
 */
export function athenaRows(records: readonly Record<string, unknown>[], since: string, until: string): (string | null)[][] {
  const groups = new Map<string, { row: (string | null)[]; n: number; first: string; last: string }>();
  for (const r of records) {
    const id = r.userIdentity as Record<string, unknown> | undefined;
    if (id?.type !== 'AssumedRole') continue;
    if (['AwsServiceEvent', 'AwsConsoleSignIn', 'AwsConsoleAction', 'AwsCloudTrailInsight', 'AwsVpceEvent'].includes(String(r.eventType))) continue;
    const time = String(r.eventTime);
    if (time < since || time > until) continue;
    const params = (r.requestParameters ?? {}) as Record<string, unknown>;
    const extracted: Record<string, string> = {};
    for (const k of SCALAR_PARAMS) {
      const v = params[k];
      if (v !== undefined && v !== null && typeof v !== 'object') extracted[k] = String(v);
    }
    for (const k of JSON_PARAMS) if (params[k] !== undefined && params[k] !== null) extracted[k] = JSON.stringify(params[k]);
    const message = typeof r.errorMessage === 'string' ? r.errorMessage : '';
    const tags = params.tags ?? params.tagSpecificationSet;
    const text = JSON.stringify(params);
    const row: (string | null)[] = [
      String((id.sessionContext as { sessionIssuer?: { arn?: string } } | undefined)?.sessionIssuer?.arn ?? ''),
      /assumed-role\/[^/]+\/(.+)$/.exec(String(id.arn))?.[1] ?? null,
      String(r.eventSource),
      String(r.eventName),
      String(r.awsRegion),
      typeof r.errorCode === 'string' ? r.errorCode : null,
      /not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1] ?? null,
      /not authorized to perform: [^ ]+ on resource: ([^ ]+)/.exec(message)?.[1] ?? null,
      typeof id.invokedBy === 'string' ? id.invokedBy : null,
      String(r.managementEvent ?? true),
      JSON.stringify(((r.resources ?? []) as { type?: string; ARN?: string }[]).map((x) => [x.type ?? null, x.ARN ?? null])),
      JSON.stringify(Object.fromEntries(Object.entries(extracted).sort())),
      String(tags !== undefined && /[^[\]{}]/.test(JSON.stringify(tags))),
      (text.match(/arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+/g) ?? []).join(' '),
      null,
    ];
    const key = JSON.stringify(row);
    const g = groups.get(key);
    if (g) {
      g.n++;
      if (time < g.first) g.first = time;
      if (time > g.last) g.last = time;
    } else groups.set(key, { row, n: 1, first: time, last: time });
  }
  return [...groups.values()].map((g) => [...g.row, String(g.n), g.first, g.last]);
}

export const ATHENA_HEADER: readonly string[] = ATHENA_COLUMNS;
