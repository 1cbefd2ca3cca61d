/**
 * Resource generalization: past a cardinality threshold, exact ARNs of one action are folded to
 * their longest common path prefix, never wider than the bucket, table or account they live in.
 */

import { bounded } from '../memo.js';
import { commonPrefix, cutToSeparator, isPattern, scopeOf } from '../profile/scope.js';

export interface Fold {
  readonly action: string;
  readonly folded: number;
  readonly into: string;
}

function compile(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '$' && pattern[i + 1] === '{' && pattern[i + 3] === '}' && '*?$'.includes(pattern[i + 2] as string)) {
      re += `\\${pattern[i + 2] as string}`;
      i += 3;
    } else re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Glob of IAM resource syntax → RegExp; `${*}`, `${?}`, `${$}` are literal characters. Kept
 * compiled: generalizing an action checks its patterns in two passes, and folded prefixes recur.
 */
export const resourceRegex = bounded(10_000, compile);

/** True when `pattern` grants at least everything `other` names. */
export function covers(pattern: string, other: string): boolean {
  if (pattern === other || pattern === '*') return true;
  if (!isPattern(pattern)) return false;
  // Treat `other`'s own wildcards as literal characters: a pattern that matches them covers them.
  return resourceRegex(pattern).test(other);
}

/** Drops resources another one in the list already grants. Only patterns can cover others. */
export function removeCovered(resources: readonly string[]): string[] {
  const sorted = [...new Set(resources)].sort();
  if (sorted.includes('*')) return ['*'];
  const patterns = new Map<string, RegExp>();
  for (const r of sorted) if (isPattern(r)) patterns.set(r, resourceRegex(r));
  if (!patterns.size) return sorted;
  return sorted.filter((r) => {
    const own = patterns.get(r);
    // Of two patterns that cover each other, the smaller string stays.
    for (const [p, re] of patterns) if (p !== r && re.test(r) && !(own?.test(p) && r < p)) return false;
    return true;
  });
}

/** Folds one action's resources when there are more than `threshold`. */
export function generalize(action: string, resources: readonly string[], threshold: number): { resources: string[]; folds: Fold[] } {
  const base = removeCovered(resources);
  if (base.length <= threshold) return { resources: base, folds: [] };
  const byScope = new Map<string, string[]>();
  for (const r of base) {
    const s = scopeOf(r);
    const list = byScope.get(s);
    if (list) list.push(r);
    else byScope.set(s, [r]);
  }
  const out: string[] = [];
  const folds: Fold[] = [];
  for (const [scope, list] of byScope) {
    if (list.length < 2) {
      out.push(...list);
      continue;
    }
    // Log stream names are minted per day and per instance: only the group is stable.
    const prefix = scope.endsWith(':log-stream:') ? scope : cutToSeparator(commonPrefix(list.map((r) => r.replace(/\*$/, ''))), scope);
    const into = `${prefix}*`;
    out.push(into);
    folds.push({ action, folded: list.length, into });
  }
  return { resources: removeCovered(out), folds };
}
