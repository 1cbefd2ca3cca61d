import { hash as digest } from 'node:crypto';

/** A canonical IAM policy statement as iam-tailor writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

/** A Sid that depends only on what the statement grants, so it is stable across runs. */
export function stableSid(service: string, actions: readonly string[], resources: readonly string[]): string {
  const name = service.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
  // The one-shot digest: a Hash object per statement cost a diff of 500 roles tens of ms.
  const hash = digest('sha256', `${actions.join(',')}\n${resources.join(',')}`, 'hex').slice(0, 8);
  return `${name}${hash}`;
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** 2-space JSON, IAM's key order within statements, trailing newline: byte-stable output. */
export function renderPolicy(doc: PolicyDocument): string {
  const statements = doc.Statement.map((s) => {
    const out: Record<string, unknown> = {};
    for (const k of STATEMENT_KEYS) if (s[k] !== undefined) out[k] = k === 'Condition' || k === 'Principal' ? sortDeep(s[k]) : s[k];
    return out;
  });
  return `${JSON.stringify({ Version: doc.Version, Statement: statements }, null, 2)}\n`;
}

/** Characters IAM counts toward the policy size quota (whitespace is not counted). */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).replace(/\s+/g, '').length;
}
