import type { Problem } from '../errors.js';

/** Raw CloudTrail records from one unit of input (a file, an API page, a result page). */
export interface RecordBatch {
  /** Where the records came from, as the user would name it (a path, `lookup-events us-east-1 page 3`). */
  readonly origin: string;
  /** The records, each with at least the fields `normalize` reads (see `shapes`). */
  readonly records: readonly unknown[];
  /** Bytes of JSON read for this batch (uncompressed), for progress and benchmarks. */
  readonly bytes: number;
  /** More batches of the same origin follow (a large file streamed in parts). */
  readonly partial?: boolean;
  /** For pre-aggregated rows (Athena): how many calls each record stands for, and when. */
  readonly spans?: readonly { readonly count: number; readonly first: string; readonly last: string }[];
  /**
   * Per record, its call shape when the native scanner read it, else -1: records of one shape
   * have byte-identical mapping inputs (see native/scan.c), so the profiler maps each once.
   * A record with a shape leaves out `requestParameters` and `resources`, which only the
   * mapping reads; `complete` gives it whole, for a shape whose mapping is not known yet.
   */
  readonly shapes?: Int32Array;
  readonly complete?: (index: number) => unknown;
}

/** Narrowing that a source may apply before records are read (a file's S3 key names its date). */
export interface SourceHints {
  readonly since?: Date;
  readonly until?: Date;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

/**
 * Every ingester has this shape: batches of raw records, problems reported as they are met.
 * Nothing outside `ingest/` knows which source ran.
 */
export interface Source {
  readonly kind: 'files' | 'lookup-events' | 'athena';
  batches(onProblem: (p: Problem) => void, signal?: AbortSignal): AsyncIterable<RecordBatch>;
}
