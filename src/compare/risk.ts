import type { PolicyDocument } from '../policy/document.js';

/**
 * Actions that let a principal widen its own power or carry data away. `onStar`: risky only
 * when granted on every resource. Sources: Rhino Security Labs' IAM privilege-escalation
 * methods; AWS guidance on iam:PassRole and sts:AssumeRole scoping.
 */
const RISKY: readonly { readonly action: string; readonly kind: 'privilege escalation' | 'data exfiltration'; readonly onStar?: boolean }[] = [
  { action: 'iam:PassRole', kind: 'privilege escalation', onStar: true },
  { action: 'sts:AssumeRole', kind: 'privilege escalation', onStar: true },
  ...['iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:UpdateAssumeRolePolicy', 'iam:AddUserToGroup', 'lambda:UpdateFunctionCode', 'lambda:AddPermission', 'ssm:SendCommand'].map((action) => ({ action, kind: 'privilege escalation' as const })),
  ...['s3:GetObject', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'dynamodb:Scan', 'dynamodb:GetItem'].map((action) => ({ action, kind: 'data exfiltration' as const, onStar: true })),
  ...['s3:PutBucketPolicy', 's3:PutBucketAcl', 's3:PutObjectAcl'].map((action) => ({ action, kind: 'data exfiltration' as const })),
];

export interface RiskFinding {
  readonly action: string;
  readonly kind: 'privilege escalation' | 'data exfiltration';
  readonly onStar: boolean;
}

/** Risky grants among the actions `allows` says are allowed; `star(action)` says whether on `*`. */
export function findRisks(allows: (action: string) => boolean, star: (action: string) => boolean): RiskFinding[] {
  return RISKY.filter((r) => allows(r.action) && (!r.onStar || star(r.action))).map((r) => ({ action: r.action, kind: r.kind, onStar: Boolean(r.onStar) }));
}

/** The same for a generated document (explicit actions only, as iam-tailor writes them). */
export function documentRisks(doc: PolicyDocument): RiskFinding[] {
  const allowed = new Set<string>();
  const onStar = new Set<string>();
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow') continue;
    const resources = [s.Resource ?? []].flat();
    for (const a of [s.Action ?? []].flat()) {
      allowed.add(a);
      if (resources.includes('*')) onStar.add(a);
    }
  }
  return findRisks((a) => allowed.has(a), (a) => onStar.has(a));
}

export function describeRisk(r: RiskFinding): string {
  return `${r.action}${r.onStar ? ' on *' : ''}`;
}
