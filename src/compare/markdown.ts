/**
 * Values from events (keys, session names, resource names) can hold anything; in a PR comment
 * they must stay text. Everything that markdown or HTML would read as syntax is escaped, and
 * line breaks are flattened so a value cannot start a new block.
 */
export function mdText(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~$])/g, '\\$1')
    .replace(/^-/, '\\-');
}

/** A fenced block whose fence no line of the content can close. */
export function mdFence(content: string, info = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\n$/, '')}\n${fence}`;
}
