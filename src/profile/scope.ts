/**
 * Resource scopes: the part of an ARN no generalization may cut into, and the longest common
 * prefix of resources within one scope. Shared by the Usage (which bounds how many exact
 * resources it keeps) and by policy generation (which folds past a threshold).
 */

/**
 * `arn:aws:s3:::bucket/` for objects, the table for DynamoDB items and indexes, the log group
 * for log streams, else the account-scoped head `arn:p:svc:region:account:`.
 */
export function scopeOf(arn: string): string {
  // String scanning, not regexes: this runs for every new resource of a busy role.
  const c1 = arn.indexOf(':');
  const c2 = arn.indexOf(':', c1 + 1);
  const c3 = arn.indexOf(':', c2 + 1);
  const c4 = arn.indexOf(':', c3 + 1);
  const c5 = arn.indexOf(':', c4 + 1);
  if (c1 !== 3 || c5 < 0 || !arn.startsWith('arn:')) return arn;
  const service = arn.slice(c2 + 1, c3);
  if (service === 's3' && c5 === c4 + 1 && c4 === c3 + 1) {
    const slash = arn.indexOf('/', c5 + 1);
    if (slash > c5 + 1) return arn.slice(0, slash + 1);
  } else if (service === 'dynamodb' && arn.startsWith('table/', c5 + 1)) {
    const slash = arn.indexOf('/', c5 + 7);
    if (slash > 0) return arn.slice(0, slash + 1);
  } else if (service === 'logs' && arn.startsWith('log-group:', c5 + 1)) {
    const stream = arn.indexOf(':log-stream:', c5 + 11);
    if (stream > 0) return arn.slice(0, stream + 12);
  }
  return arn.slice(0, c5 + 1);
}

/** Longest common prefix, never ending inside an escape such as `${*}`. */
export function commonPrefix(values: Iterable<string>): string {
  // The prefix all values share is the one the smallest and the largest share.
  let lo: string | undefined;
  let hi: string | undefined;
  for (const v of values) {
    if (lo === undefined || v < lo) lo = v;
    if (hi === undefined || v > hi) hi = v;
  }
  if (lo === undefined || hi === undefined) return '';
  let i = 0;
  while (i < lo.length && lo.charCodeAt(i) === hi.charCodeAt(i)) i++;
  return lo.slice(0, i).replace(/\$(\{[*?$]?)?$/, '');
}

/** True when the resource string holds an unescaped wildcard. */
export const isPattern = (r: string): boolean => (r.includes('*') || r.includes('?')) && /[*?]/.test(r.replace(/\$\{[*?$]\}/g, ''));

/** A prefix cut back to its last path separator (`/` or `:`), never shorter than its scope. */
export function cutToSeparator(prefix: string, scope: string): string {
  const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf(':'));
  return cut >= scope.length - 1 ? prefix.slice(0, cut + 1) : scope;
}
