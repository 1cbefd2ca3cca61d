import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parsePolicyDocument, type CurrentPolicy, type CurrentRole } from './current.js';

/**
 * A role's current permissions from IAM: inline policies (documents come URL-encoded), attached
 * managed policies at their default version, and the permissions boundary.
 */
export async function currentFromIam(iam: IAMClient, roleArn: string): Promise<CurrentRole> {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  const policies: CurrentPolicy[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker }));
    for (const p of page.PolicyNames ?? []) {
      const doc = (await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p }))).PolicyDocument;
      policies.push({ name: p, kind: 'inline', document: parsePolicyDocument(doc, `iam:${name}/${p}`) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }));
    for (const a of page.AttachedPolicies ?? []) {
      if (!a.PolicyArn) continue;
      const version = (await iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn }))).Policy?.DefaultVersionId;
      const doc = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: version }))).PolicyVersion?.Document;
      policies.push({ name: a.PolicyArn, kind: 'managed', document: parsePolicyDocument(doc, `iam:${a.PolicyArn}`) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return {
    key: role?.Arn ?? roleArn,
    account: roleArn.split(':')[4] ?? '',
    name,
    policies,
    permissionsBoundary: role?.PermissionsBoundary?.PermissionsBoundaryArn,
  };
}
