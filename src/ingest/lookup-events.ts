import { LookupEventsCommand, type CloudTrailClient, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { Problem } from '../errors.js';
import type { RecordBatch, Source } from './source.js';

export interface LookupEventsOptions {
  readonly regions: readonly string[];
  readonly since: Date;
  readonly until: Date;
  /** One lookup attribute, when the filter allows narrowing server-side (e.g. a session name). */
  readonly attribute?: LookupAttribute;
  /** CloudTrail allows 2 LookupEvents requests per second per region. */
  readonly minIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The CloudTrail Event history (`LookupEvents`): management events of the last 90 days, region by
 * region, page by page, paced under the per-region request limit. Throttling that still happens
 * is retried by the client's adaptive retry mode.
 */
export class LookupEventsSource implements Source {
  readonly kind = 'lookup-events';

  constructor(
    private readonly client: (region: string) => CloudTrailClient,
    private readonly o: LookupEventsOptions,
  ) {}

  async *batches(onProblem: (p: Problem) => void, signal?: AbortSignal): AsyncIterable<RecordBatch> {
    const sleep = this.o.sleep ?? defaultSleep;
    const interval = this.o.minIntervalMs ?? 500;
    for (const region of this.o.regions) {
      let token: string | undefined;
      let page = 0;
      let last = 0;
      do {
        if (signal?.aborted) return;
        const wait = last + interval - Date.now();
        if (wait > 0) await sleep(wait);
        last = Date.now();
        const r = await this.client(region).send(
          new LookupEventsCommand({ StartTime: this.o.since, EndTime: this.o.until, NextToken: token, MaxResults: 50, LookupAttributes: this.o.attribute ? [this.o.attribute] : undefined }),
        );
        token = r.NextToken;
        const origin = `lookup-events ${region} page ${page}`;
        const records: unknown[] = [];
        for (const [i, e] of (r.Events ?? []).entries()) {
          if (!e.CloudTrailEvent) continue;
          try {
            records.push(JSON.parse(e.CloudTrailEvent));
          } catch (err) {
            onProblem({ code: 'bad-json', message: `CloudTrailEvent is not JSON: ${(err as Error).message}`, place: { file: origin, record: i } });
          }
        }
        yield { origin, records, bytes: 0 };
        page++;
      } while (token);
    }
  }
}
