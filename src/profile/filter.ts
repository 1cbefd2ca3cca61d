import { TailorError } from '../errors.js';
import { secondsIso, type Call } from './call.js';

/** Which Calls a run keeps: roles (name, ARN or glob), a time window, accounts, regions. */
export interface CallFilter {
  readonly roles: readonly RegExp[];
  readonly since?: Date;
  readonly until?: Date;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export const NO_FILTER: CallFilter = { roles: [], accounts: [], regions: [] };

function globToRegex(glob: string): string {
  return glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
}

/**
 * A role pattern matches the role ARN (with path) when it starts with `arn:`, else the role
 * name; `*` and `?` are globs.
 */
export function rolePattern(pattern: string): RegExp {
  if (pattern.startsWith('arn:')) return new RegExp(`^${globToRegex(pattern)}$`);
  return new RegExp(`^arn:[^:]+:iam::\\d{12}:role/(?:.*/)?${globToRegex(pattern)}$`);
}

const RELATIVE = /^(\d+)\s*([smhdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** `2026-10-01`, `2026-10-01T12:00:00Z` or relative `30d`, `12h` (before `now`). */
export function parseTime(value: string, argument: string, now: Date = new Date()): Date {
  const rel = RELATIVE.exec(value.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number));
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new TailorError('bad-argument', `"${value}" is not a date (use 2026-10-01, 2026-10-01T12:00:00Z, or a relative 30d / 12h)`, { argument });
  return new Date(ms);
}

/** False for a filter that keeps every call, so the profiler can skip asking. */
export function filterNarrows(f: CallFilter): boolean {
  return Boolean(f.roles.length || f.accounts.length || f.regions.length || f.since || f.until);
}

export function accepts(f: CallFilter, call: Call): boolean {
  if (f.roles.length && !f.roles.some((r) => r.test(call.principal))) return false;
  if (f.accounts.length && !f.accounts.includes(call.account)) return false;
  if (f.regions.length && !f.regions.includes(call.region)) return false;
  if (f.since && call.time < iso(f.since)) return false;
  if (f.until && call.time > iso(f.until)) return false;
  return true;
}

// Call times are ISO seconds; a Date's form is computed once per Date, not once per call.
const isoCache = new WeakMap<Date, string>();
function iso(d: Date): string {
  let s = isoCache.get(d);
  if (s === undefined) isoCache.set(d, (s = secondsIso(d)));
  return s;
}
