import { basename, relative } from 'node:path';
import { readJsonFiles } from '../io/json-files.js';
import { TailorError } from '../errors.js';
import type { PolicyDocument, PolicyStatement } from '../policy/document.js';

/** One policy a role holds today, as read from IAM or from files. */
export interface CurrentPolicy {
  /** Inline policy name, managed policy ARN, or the file it came from. */
  readonly name: string;
  readonly kind: 'inline' | 'managed' | 'file';
  readonly document: PolicyDocument;
}

export interface CurrentRole {
  /** Role ARN when known; else `<account>/<role name>` from a file layout. */
  readonly key: string;
  readonly account: string;
  readonly name: string;
  readonly policies: readonly CurrentPolicy[];
  readonly permissionsBoundary?: string;
  /** The file to write a tightened policy over (policy-file layouts only). */
  readonly file?: string;
}

const asArray = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T]);

/** IAM returns policy documents URL-encoded; the CLI and exports usually decode them. */
export function parsePolicyDocument(value: unknown, place: string): PolicyDocument {
  let v = value;
  if (typeof v === 'string') {
    let text = v;
    if (/^%7B/i.test(text.trim())) text = decodeURIComponent(text);
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new TailorError('bad-policy-file', `policy document is not JSON: ${(e as Error).message}`, { file: place });
    }
  }
  const doc = v as { Version?: string; Statement?: unknown } | null;
  if (!doc || typeof doc !== 'object' || doc.Statement === undefined) throw new TailorError('bad-policy-file', 'not an IAM policy document (no Statement)', { file: place });
  const statements = asArray(doc.Statement as PolicyStatement | PolicyStatement[]);
  for (const [i, s] of statements.entries()) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new TailorError('bad-policy-file', `statement ${i} has no Effect Allow or Deny`, { file: place });
    if (s.Action === undefined && s.NotAction === undefined) throw new TailorError('bad-policy-file', `statement ${i} has neither Action nor NotAction`, { file: place });
  }
  return { Version: '2012-10-17', Statement: statements };
}

interface AuthDetails {
  RoleDetailList?: {
    Arn: string;
    RoleName: string;
    RolePolicyList?: { PolicyName: string; PolicyDocument: unknown }[];
    AttachedManagedPolicies?: { PolicyArn: string; PolicyName: string }[];
    PermissionsBoundary?: { PermissionsBoundaryArn?: string };
  }[];
  Policies?: { Arn: string; DefaultVersionId?: string; PolicyVersionList?: { Document: unknown; VersionId?: string; IsDefaultVersion?: boolean }[] }[];
}

/** `aws iam get-account-authorization-details` output → the roles with their documents. */
export function fromAuthorizationDetails(details: AuthDetails, file: string): CurrentRole[] {
  const managed = new Map<string, PolicyDocument>();
  for (const p of details.Policies ?? []) {
    const v = p.PolicyVersionList?.find((x) => x.IsDefaultVersion) ?? p.PolicyVersionList?.find((x) => x.VersionId === p.DefaultVersionId);
    if (v) managed.set(p.Arn, parsePolicyDocument(v.Document, `${file} ${p.Arn}`));
  }
  return (details.RoleDetailList ?? []).map((r) => ({
    key: r.Arn,
    account: r.Arn.split(':')[4] ?? '',
    name: r.RoleName,
    permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn,
    policies: [
      ...(r.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName, kind: 'inline' as const, document: parsePolicyDocument(p.PolicyDocument, `${file} ${r.RoleName}/${p.PolicyName}`) })),
      ...(r.AttachedManagedPolicies ?? []).flatMap((m) => {
        const document = managed.get(m.PolicyArn);
        return document ? [{ name: m.PolicyArn, kind: 'managed' as const, document }] : [];
      }),
    ],
  }));
}

/**
 * Current policies from a path: the repo layout `<account>/<role>.json` (one policy document,
 * or an array of them, per role), or one `get-account-authorization-details` file.
 */
export async function loadCurrent(path: string): Promise<CurrentRole[]> {
  const roles: CurrentRole[] = [];
  for (const { file, value: v, isDirectory } of await readJsonFiles(path)) {
    if (v && typeof v === 'object' && 'RoleDetailList' in v) {
      roles.push(...fromAuthorizationDetails(v as AuthDetails, file));
      continue;
    }
    const rel = isDirectory ? relative(path, file).split(/[\\/]/) : [basename(file)];
    const account = rel.length >= 2 && /^\d{12}$/.test(rel[0] as string) ? (rel[0] as string) : '';
    const name = basename(file, '.json');
    const docs = Array.isArray(v) ? v : [v];
    roles.push({
      key: account ? `${account}/${name}` : name,
      account,
      name,
      file,
      policies: docs.map((d, i) => ({ name: docs.length > 1 ? `${relative(process.cwd(), file)}#${i}` : relative(process.cwd(), file), kind: 'file' as const, document: parsePolicyDocument(d, file) })),
    });
  }
  return roles;
}

/** The current role a Usage principal corresponds to: by ARN, else by account and role name. */
export function matchRole(current: readonly CurrentRole[], principalArn: string): CurrentRole | undefined {
  const account = principalArn.split(':')[4] ?? '';
  const name = principalArn.slice(principalArn.lastIndexOf('/') + 1);
  return current.find((r) => r.key === principalArn) ?? current.find((r) => r.name === name && (r.account === account || r.account === ''));
}
