import sourcesTable from './rules/event-sources.json' with { type: 'json' };

const PREFIX: Readonly<Record<string, { prefix: string; from: string }>> = sourcesTable.sources;
const SUFFIX = '.amazonaws.com';

/**
 * Event source → IAM service prefix: the general rule (`s3.amazonaws.com` → `s3`) unless the
 * facts name another prefix (`monitoring` → `cloudwatch`, `tagging` → `tag`, …).
 */
export function prefixFor(eventSource: string): string {
  const known = PREFIX[eventSource];
  if (known) return known.prefix;
  const base = eventSource.endsWith(SUFFIX) ? eventSource.slice(0, -SUFFIX.length) : eventSource;
  return base.toLowerCase();
}

export function prefixRuleSource(eventSource: string): string {
  return PREFIX[eventSource]?.from ?? 'general rule: event source without .amazonaws.com';
}

// Lambda logged `<Op><YYYYMMDD>[vN]` until 2021-10-20 and CloudFront `<Op>YYYY_MM_DD`; names that
// merely end in a digit (DescribeClusterV2) are left alone.
const LEGACY_SUFFIX = /^(.*?[A-Za-z])(\d{8}(v\d+)?|\d{4}_\d{2}_\d{2})$/;

/** Strips a legacy API-version suffix from an event name. */
export function normalizeEventName(eventName: string): string {
  const m = LEGACY_SUFFIX.exec(eventName);
  return m?.[1] ?? eventName;
}
