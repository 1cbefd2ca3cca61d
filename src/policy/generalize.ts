/**
 * Resource generalization: past a cardinality threshold, exact ARNs of one action are folded to
 * their longest common path prefix, never wider than the bucket, table or account they live in.
 */

export interface Fold {
  readonly action: string;
  readonly folded: number;
  readonly into: string;
}

/**
 * The part of an ARN no fold may cut into: `arn:aws:s3:::bucket/` for objects, the table for
 * DynamoDB items and indexes, else the account-scoped head `arn:p:svc:region:account:`.
 */
export function scopeOf(arn: string): string {
  const s3 = /^(arn:[^:]+:s3:::[^/]+\/)/.exec(arn);
  if (s3) return s3[1] as string;
  const ddb = /^(arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/)/.exec(arn);
  if (ddb) return ddb[1] as string;
  const logs = /^(arn:[^:]+:logs:[^:]*:[^:]*:log-group:[^:]+:log-stream:)/.exec(arn);
  if (logs) return logs[1] as string;
  const head = /^(arn:[^:]+:[^:]+:[^:]*:[^:]*:)/.exec(arn);
  return head ? (head[1] as string) : arn;
}

function commonPrefix(values: readonly string[]): string {
  let p = values[0] ?? '';
  for (const v of values) {
    let i = 0;
    while (i < p.length && i < v.length && p[i] === v[i]) i++;
    p = p.slice(0, i);
  }
  return p;
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

const isPattern = (r: string): boolean => /[*?]/.test(r.replace(/\$\{[*?$]\}/g, ''));

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
    let prefix = scope.endsWith(':log-stream:') ? scope : commonPrefix(list);
    const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf(':'));
    prefix = cut >= scope.length - 1 ? prefix.slice(0, cut + 1) : scope;
    if (prefix.length < scope.length) prefix = scope;
    const into = `${prefix}*`;
    out.push(into);
    folds.push({ action, folded: list.length, into });
  }
  return { resources: removeCovered(out), folds };
}
