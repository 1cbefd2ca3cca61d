import { alikeButName, type ClassifiedAction } from './classify.js';
import type { Comparison } from './report.js';

export const DIFF_SCHEMA = 'iam-tailor/diff';

const WRAPPER_HEAD = '{\n  "r": [\n'.length;
const WRAPPER_TAIL = '\n  ]\n}'.length;
// Inside the wrapper a role's fields sit at 6 spaces, its actions at 8 and their fields at 10.
const ACTIONS_SLOT = '"actions": []';
const AT8 = `\n${' '.repeat(8)}`;
const AT10 = `\n${' '.repeat(10)}`;
const ACTION_HEAD = `${AT8}{${AT10}"action": `;

// Hundreds of actions of one `svc:*` statement share one resource list: its text is made once.
const listTexts = new WeakMap<readonly string[], string>();

/** A list of strings as JSON.stringify(…, null, 2) writes it where the list's key sits at 10 spaces. */
function listText(list: readonly string[]): string {
  if (!list.length) return '[]';
  let text = listTexts.get(list);
  if (text === undefined) {
    text = `[${list.map((x) => `${AT10}  ${JSON.stringify(x)}`).join(',')}${AT10}]`;
    listTexts.set(list, text);
  }
  return text;
}

/** Everything of an action after its name; runs of actions (a removed `svc:*`) share it. */
function actionTail(a: ClassifiedAction): string {
  return `,${AT10}"class": ${JSON.stringify(a.class)},${AT10}"reason": ${JSON.stringify(a.reason)},${AT10}"before": ${listText(a.before)},${AT10}"after": ${listText(a.after)}${AT8}}`;
}

/**
 * The actions list, most of the output (hundreds per role), written directly: the text
 * JSON.stringify would write, built from three pieces per action (its name between shared ones).
 */
function actionsText(actions: readonly ClassifiedAction[]): string {
  if (!actions.length) return '[]';
  const parts: string[] = [];
  let prev: ClassifiedAction | undefined;
  let tail = '';
  for (const a of actions) {
    if (!alikeButName(a, prev)) tail = actionTail(a);
    prev = a;
    parts.push(`${ACTION_HEAD}${JSON.stringify(a.action)}${tail}`);
  }
  return `[${parts.join(',')}\n      ]`;
}

function roleText(c: Comparison): string {
  const role = {
    role: c.role,
    account: c.account,
    name: c.name,
    file: c.file ?? null,
    observed: c.observed,
    changed: c.changed,
    counts: c.counts,
    risk: { before: c.risk.before.map((r) => ({ ...r })), after: c.risk.after.map((r) => ({ ...r })) },
    actions: [],
    notes: c.notes,
    proposed: c.proposed,
  };
  // A one-key wrapper gives the role the indentation of an element of `roles`. The first
  // `"actions": []` is the role's own: the fields before it have fixed keys, and a string
  // value cannot hold an unescaped quote.
  const text = JSON.stringify({ r: [role] }, null, 2);
  return text.slice(WRAPPER_HEAD, -WRAPPER_TAIL).replace(ACTIONS_SLOT, () => `"actions": ${actionsText(c.actions)}`);
}

/**
 * The stable machine form (docs/diff-json.md): per role its classes, counts, risk before and
 * after, and the proposed document. Keys and lists are sorted; nothing depends on the clock.
 * Yields the text of `JSON.stringify(document, null, 2)` role by role, so that hundreds of roles
 * never sit in memory as one string.
 */
export function* renderJsonChunks(comparisons: readonly Comparison[]): Generator<string> {
  const changedRoles = comparisons.filter((c) => c.changed).length;
  const head = JSON.stringify({ schema: DIFF_SCHEMA, schemaVersion: 1, changedRoles }, null, 2).slice(0, -2);
  if (!comparisons.length) {
    yield `${head},\n  "roles": []\n}\n`;
    return;
  }
  yield `${head},\n  "roles": [\n`;
  for (let i = 0; i < comparisons.length; i++) yield `${roleText(comparisons[i] as Comparison)}${i < comparisons.length - 1 ? ',' : ''}\n`;
  yield '  ]\n}\n';
}

export function renderJson(comparisons: readonly Comparison[]): string {
  return [...renderJsonChunks(comparisons)].join('');
}
