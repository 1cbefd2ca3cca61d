/**
 * IAM resource strings treat `*`, `?` and `${…}` specially; a literal one in a resource name
 * must be written `${*}`, `${?}`, `${$}` so that the policy grants exactly that resource.
 */
export function escapeResourceName(value: string): string {
  return /[*?$]/.test(value) ? value.replace(/[*?$]/g, (c) => `\${${c}}`) : value;
}
