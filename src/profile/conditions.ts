import type { Call } from './call.js';
import { escapeResourceName as esc } from './escape.js';
import { parseCopySource } from './resources.js';

/**
 * When an action listed for an event is needed. `always` is the call's own action; the others
 * are needed only when the record shows their condition (a role passed, tags given, …), or are
 * documented dependencies whose condition a record cannot show (`dependent` and friends): those
 * are reported as possible, never granted.
 */
export type When =
  | 'always'
  | 'role-passed'
  | 'tags'
  | 'layers'
  | 'version-id'
  | 'copy-source'
  | 'statement-verb'
  | 'transact-item'
  | 'acl-given'
  | 'policy-given'
  | 'source-identity'
  | 'provided-contexts'
  | 'dependent'
  | 'service-linked-role'
  | 'global-table'
  | 'capacity-provider';

/** Conditions no record can show: the action may be needed, but evidence is missing. */
export const UNSHOWABLE: ReadonlySet<When> = new Set(['dependent', 'service-linked-role', 'global-table', 'capacity-provider']);

/** Needed (with the resources the condition names, if it names them) or not. */
export type Verdict = { readonly needed: false } | { readonly needed: true; readonly resources?: readonly string[] };

const NO: Verdict = { needed: false };
const YES: Verdict = { needed: true };

type Params = Readonly<Record<string, unknown>>;
const o = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const nonEmpty = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const MAX_ENTRIES = 500;
const TAG_KEYS = /^(tags|tagList|tagSet|tagSpecificationSet|tagSpecifications|tagKeys|tagging|x-amz-tagging)$/i;

/**
 * Calls `visit` with every key and value anywhere in the parameters, parents before children
 * (array items with the key ''), bounded: parameters can be huge or hostile. Stops when `visit`
 * returns true. A plain recursion, not a generator per level: this runs for every call of an
 * event that can pass a role or tags.
 */
function someEntry(v: unknown, visit: (key: string, value: unknown) => boolean, depth = 0): boolean {
  if (depth > 6 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    const n = Math.min(v.length, MAX_ENTRIES);
    for (let i = 0; i < n; i++) if (visit('', v[i]) || someEntry(v[i], visit, depth + 1)) return true;
    return false;
  }
  let seen = 0;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (++seen > MAX_ENTRIES) break;
    const x = (v as Record<string, unknown>)[k];
    if (visit(k, x) || someEntry(x, visit, depth + 1)) return true;
  }
  return false;
}

function rolesPassed(params: Params, call: Call): string[] {
  const out = new Set<string>();
  // The session's own role is the caller, not a role being passed.
  someEntry(params, (_, v) => {
    if (typeof v === 'string' && ROLE_ARN.test(v) && v !== call.principal) out.add(esc(v));
    return false;
  });
  return [...out].sort();
}

/** `SELECT * FROM "orders" WHERE …` → verb and table. */
export function partiqlTarget(statement: string): { verb: string; table: string } | undefined {
  const verb = /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.exec(statement)?.[1]?.toUpperCase();
  if (!verb) return undefined;
  const table =
    verb === 'SELECT' || verb === 'DELETE'
      ? /\bFROM\s+"?([A-Za-z0-9_.-]+)"?/i.exec(statement)?.[1]
      : verb === 'INSERT'
        ? /\bINTO\s+"?([A-Za-z0-9_.-]+)"?/i.exec(statement)?.[1]
        : /^\s*UPDATE\s+"?([A-Za-z0-9_.-]+)"?/i.exec(statement)?.[1];
  return table ? { verb, table } : undefined;
}

function statements(params: Params): string[] {
  const out: string[] = [];
  if (typeof params.statement === 'string') out.push(params.statement);
  for (const x of [...(Array.isArray(params.statements) ? params.statements : []), ...(Array.isArray(params.transactStatements) ? params.transactStatements : [])]) {
    const st = o(x).statement;
    if (typeof st === 'string') out.push(st);
  }
  return out;
}

const tableArn = (call: Call, name: string): string =>
  name.startsWith('arn:') ? esc(name) : `arn:${call.partition}:dynamodb:${call.region}:${call.account}:table/${esc(name)}`;

const TRANSACT_KIND: Readonly<Record<string, string>> = {
  'dynamodb:ConditionCheckItem': 'conditionCheck',
  'dynamodb:PutItem': 'put',
  'dynamodb:UpdateItem': 'update',
  'dynamodb:DeleteItem': 'delete',
  'dynamodb:GetItem': 'get',
};

/** Decides whether `action` (listed with condition `when`) is needed by this call. */
export function evaluate(when: When, action: string, call: Call): Verdict {
  const params: Params = call.requestParameters ?? {};
  switch (when) {
    case 'always':
      return YES;
    case 'role-passed': {
      const roles = rolesPassed(params, call);
      if (roles.length) return { needed: true, resources: roles };
      // An instance profile passes the role inside it, which the record does not name.
      if (nonEmpty(params.iamInstanceProfile)) return { needed: true, resources: [`arn:${call.partition}:iam::${call.account}:role/*`] };
      return NO;
    }
    case 'tags':
      return someEntry(params, (k, v) => TAG_KEYS.test(k) && nonEmpty(v)) ? YES : NO;
    case 'layers': {
      const layers = Array.isArray(params.layers) ? params.layers.filter((x): x is string => typeof x === 'string') : [];
      return layers.length ? { needed: true, resources: layers.map(esc).sort() } : NO;
    }
    case 'version-id':
      return nonEmpty(params.versionId) ? YES : NO;
    case 'copy-source': {
      const src = typeof params['x-amz-copy-source'] === 'string' ? parseCopySource(params['x-amz-copy-source']) : undefined;
      return src ? { needed: true, resources: [`arn:${call.partition}:s3:::${esc(src.bucket)}/${esc(src.key)}`] } : NO;
    }
    case 'statement-verb': {
      const verb = action.replace(/^dynamodb:PartiQL/, '').toUpperCase();
      const tables = statements(params)
        .map(partiqlTarget)
        .filter((t): t is { verb: string; table: string } => t?.verb === verb)
        .map((t) => tableArn(call, t.table));
      return tables.length ? { needed: true, resources: [...new Set(tables)].sort() } : NO;
    }
    case 'transact-item': {
      const kind = TRANSACT_KIND[action];
      const tables = new Set<string>();
      for (const item of Array.isArray(params.transactItems) ? params.transactItems : []) {
        const part = kind ? o(o(item)[kind]) : {};
        if (typeof part.tableName === 'string') tables.add(tableArn(call, part.tableName));
      }
      return tables.size ? { needed: true, resources: [...tables].sort() } : NO;
    }
    case 'acl-given':
      return Object.keys(params).some((k) => /^(x-amz-acl|x-amz-grant-|accessControlList|AccessControlPolicy)/i.test(k)) ? YES : NO;
    case 'policy-given':
      return nonEmpty(params.policy) ? YES : NO;
    case 'source-identity':
      return nonEmpty(params.sourceIdentity) ? YES : NO;
    case 'provided-contexts':
      return nonEmpty(params.providedContexts) ? YES : NO;
    default:
      return NO;
  }
}
