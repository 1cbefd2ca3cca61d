import { bounded } from '../memo.js';

/**
 * Values from events (keys, session names, resource names) can hold anything; in a PR comment
 * they must stay text. Everything that markdown or HTML would read as syntax is escaped, and
 * line breaks are flattened so a value cannot start a new block.
 */
export function mdText(value: string): string {
  // Most values (action names) hold nothing to escape; the rest repeat (reasons): six
  // replacements for each of a 500-role comparison's 200,000 rows took a second.
  if (!SPECIAL.test(value)) return value;
  // Long values (an S3 object key can be 1 KB, a hostile value more) are not kept.
  return value.length > MEMO_VALUE_LIMIT ? escape(value) : escaped(value);
}

// Every character one of escape's replacements acts on.
const SPECIAL = /[\r\n\u2028\u2029&<>\\`*_{}[\]()#+!|~$]|^-/;
const MEMO_VALUE_LIMIT = 256;
const escaped = bounded(10_000, escape);

function escape(value: string): string {
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
