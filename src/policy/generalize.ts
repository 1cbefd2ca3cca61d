/**
 * Resource generalization: past a cardinality threshold, exact ARNs of one action are folded to
 * their longest common path prefix, never wider than the bucket, table or account they live in.
 */

import { commonPrefix, cutToSeparator, isPattern, scopeOf } from '../profile/scope.js';

export interface Fold {
  readonly action: string;
  readonly folded: number;
  readonly into: string;
}

/** Glob of IAM resource syntax → RegExp; `${*}`, `${?}`, `${$}` are literal characters. */
export function resourceRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const esc = /^\$\{([*?$])\}/.exec(pattern.slice(i));
    if (esc) {
      re += `\\${esc[1]}`;
      i += 3;
      continue;
    }
    const c = pattern[i] as string;
    re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

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
  const patterns = sorted.filter(isPattern).map((p) => ({ p, re: resourceRegex(p) }));
  if (!patterns.length) return sorted;
  // Of two patterns that cover each other, the smaller string stays.
  return sorted.filter((r) => !patterns.some(({ p, re }) => p !== r && re.test(r) && !(isPattern(r) && resourceRegex(r).test(p) && r < p)));
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
