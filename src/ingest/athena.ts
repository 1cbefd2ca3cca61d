import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type Row,
} from '@aws-sdk/client-athena';
import { TailorError, type Problem } from '../errors.js';
import { buildAthenaSql, JSON_PARAMS, type AthenaQuery } from './athena-sql.js';
import type { RecordBatch, Source } from './source.js';

export interface AthenaSourceOptions extends AthenaQuery {
  readonly workgroup?: string;
  readonly outputLocation?: string;
  /** Told once the query is done: its id and the bytes Athena scanned. */
  readonly onQueryDone?: (info: { queryId: string; bytesScanned: number; seconds: number }) => void;
  /** Polling backoff, milliseconds (first, maximum). */
  readonly poll?: { readonly first: number; readonly max: number };
  readonly sleep?: (ms: number) => Promise<void>;
}

export const ATHENA_COLUMNS = ['principal', 'session', 'eventsource', 'eventname', 'region', 'errorcode', 'denied_action', 'denied_resource', 'invokedby', 'managementevent', 'resources', 'params', 'tagged', 'passed_roles', 'host', 'n', 'first_seen', 'last_seen'] as const;
type Column = (typeof ATHENA_COLUMNS)[number];

const parseJson = (text: string | undefined): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * One aggregated row → a CloudTrail-shaped record that `normalize` reads like any other, and
 * the span (count, first, last) it stands for.
 */
export function rowToRecord(v: Readonly<Partial<Record<Column, string>>>): { record: Record<string, unknown>; span: { count: number; first: string; last: string } } | undefined {
  if (!v.principal || !v.eventsource || !v.eventname || !v.first_seen || !v.last_seen) return undefined;
  const roleName = v.principal.slice(v.principal.lastIndexOf('/') + 1);
  const params = (parseJson(v.params) ?? {}) as Record<string, unknown>;
  for (const k of JSON_PARAMS) if (typeof params[k] === 'string') params[k] = parseJson(params[k] as string);
  if (v.tagged === 'true') params.tags = { present: 'true' };
  if (v.passed_roles) params.passedRoles = v.passed_roles.split(' ').filter(Boolean);
  const resources = ((parseJson(v.resources) ?? []) as [string | null, string | null][]).map(([type, arn]) => ({ type: type ?? undefined, ARN: arn ?? undefined }));
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    eventType: 'AwsApiCall',
    eventSource: v.eventsource,
    eventName: v.eventname,
    eventTime: v.first_seen,
    awsRegion: v.region,
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${v.principal.split(':')[4]}:assumed-role/${roleName}/${v.session ?? '(unknown)'}`,
      invokedBy: v.invokedby || undefined,
      sessionContext: { sessionIssuer: { arn: v.principal } },
    },
    managementEvent: v.managementevent !== 'false',
    requestParameters: params,
    resources,
  };
  if (v.errorcode) {
    record.errorCode = v.errorcode;
    if (v.denied_action) record.errorMessage = `is not authorized to perform: ${v.denied_action}${v.denied_resource ? ` on resource: ${v.denied_resource}` : ''} because`;
  }
  if (v.host) record.tlsDetails = { clientProvidedHostHeader: v.host };
  const count = Number(v.n ?? '1');
  return { record, span: { count: Number.isFinite(count) && count > 0 ? count : 1, first: v.first_seen, last: v.last_seen } };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * CloudTrail in S3 queried through Athena: the aggregation runs in Athena, and the compact rows
 * become the same Usage as the file source would give. Ctrl-C stops the query.
 */
export class AthenaSource implements Source {
  readonly kind = 'athena';
  readonly sql: string;

  constructor(
    private readonly client: AthenaClient,
    private readonly o: AthenaSourceOptions,
  ) {
    // Built (and so validated) before any request is sent.
    this.sql = buildAthenaSql(o);
  }

  async *batches(onProblem: (p: Problem) => void, signal?: AbortSignal): AsyncIterable<RecordBatch> {
    const started = Date.now();
    const start = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: this.sql,
        QueryExecutionContext: { Database: this.o.database },
        WorkGroup: this.o.workgroup,
        ResultConfiguration: this.o.outputLocation ? { OutputLocation: this.o.outputLocation } : undefined,
      }),
    );
    const id = start.QueryExecutionId;
    if (!id) throw new TailorError('aws-error', 'Athena returned no query id', { argument: '--source athena' });
    const stop = (): void => {
      void this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const sleep = this.o.sleep ?? defaultSleep;
      let wait = this.o.poll?.first ?? 250;
      for (;;) {
        if (signal?.aborted) return;
        const q = (await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
        const state = q?.Status?.State;
        if (state === 'SUCCEEDED') {
          this.o.onQueryDone?.({ queryId: id, bytesScanned: q?.Statistics?.DataScannedInBytes ?? 0, seconds: (Date.now() - started) / 1000 });
          break;
        }
        if (state === 'FAILED' || state === 'CANCELLED') {
          throw new TailorError('aws-error', `Athena query ${id} ${state.toLowerCase()}: ${q?.Status?.StateChangeReason ?? 'no reason given'}`, { argument: '--source athena' });
        }
        await sleep(wait);
        wait = Math.min(wait * 2, this.o.poll?.max ?? 5000);
      }
      let token: string | undefined;
      let header: string[] | undefined;
      let page = 0;
      do {
        if (signal?.aborted) return;
        const r = await this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
        token = r.NextToken;
        let rows: Row[] = r.ResultSet?.Rows ?? [];
        if (!header) {
          header = (rows[0]?.Data ?? []).map((d) => d.VarCharValue ?? '');
          rows = rows.slice(1);
        }
        const records: unknown[] = [];
        const spans: { count: number; first: string; last: string }[] = [];
        for (const [i, row] of rows.entries()) {
          const values = Object.fromEntries((row.Data ?? []).map((d, j) => [header?.[j] ?? String(j), d.VarCharValue])) as Partial<Record<Column, string>>;
          const converted = rowToRecord(values);
          if (!converted) {
            onProblem({ code: 'bad-record', message: 'result row without principal, event or times; skipped', place: { file: `athena query ${id} page ${page}`, record: i } });
            continue;
          }
          records.push(converted.record);
          spans.push(converted.span);
        }
        yield { origin: `athena query ${id} page ${page}`, records, bytes: 0, spans };
        page++;
      } while (token);
    } finally {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) stop();
    }
  }
}
