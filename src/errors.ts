/** Where a problem was found: a file, a record inside it, or a command-line argument. */
export interface Place {
  readonly file?: string;
  readonly record?: number;
  readonly argument?: string;
}

export type ProblemCode =
  | 'unreadable-file'
  | 'bad-gzip'
  | 'bad-json'
  | 'bad-encoding'
  | 'no-records'
  | 'bad-record'
  | 'unknown-format'
  | 'bad-argument'
  | 'bad-usage-file'
  | 'bad-policy-file'
  | 'aws-error'
  | 'interrupted';

/** An error as a value: a code, one clear sentence, and the place it refers to. */
export class TailorError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly place: Place = {},
  ) {
    super(message);
    this.name = 'TailorError';
  }
}

/** A problem that did not stop the run (a skipped file or record), reported in the summary. */
export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly place: Place;
}

export function describePlace(place: Place): string {
  const parts: string[] = [];
  if (place.file !== undefined) parts.push(place.file);
  if (place.record !== undefined) parts.push(`record ${place.record}`);
  if (place.argument !== undefined) parts.push(place.argument);
  return parts.join(', ');
}
