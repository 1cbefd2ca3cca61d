/**
 * IAM resource strings treat `*`, `?` and `${…}` specially; a literal one in a resource name
 * must be written `${*}`, `${?}`, `${$}` so that the policy grants exactly that resource.
 */
export function escapeResourceName(value: string): string {
  // Three native scans beat a regex test here: this runs for every resource of every record.
  if (value.indexOf('*') < 0 && value.indexOf('?') < 0 && value.indexOf('$') < 0) return value;
  return value.replace(/[*?$]/g, (c) => `\${${c}}`);
}
