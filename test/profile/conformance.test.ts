import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Mapper } from '../../src/profile/mapping.js';
import { catalog, FIXTURES } from '../support/fixtures.js';
import { call } from '../support/records.js';

interface FactRow {
  eventSource: string;
  eventName: string;
  iam_actions: string;
  note: string;
  source: string;
}

const rows: FactRow[] = (() => {
  const [head, ...lines] = readFileSync(join(FIXTURES, 'facts', 'mapping_exceptions.tsv'), 'utf8').trimEnd().split('\n');
  const cols = (head as string).split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])) as unknown as FactRow);
})();

const setOf = (actions: string): string => [...new Set(actions.split(','))].sort().join(',');
const isApiGatewayVerbRow = (r: FactRow): boolean => r.eventSource === 'apigateway.amazonaws.com' && /^API Gateway V[12]/.test(r.note);
const isS3Control = (r: FactRow): boolean => /sdk=S3Control/.test(r.note);
const NONE = /^\(none/;

// One key per fact: the API Gateway V1 and V2 rows of an operation describe two APIs, and S3
// Control rows another API logged under S3 names, so neither is a disagreement.
const keyOf = (r: FactRow): string => `${r.eventSource}\t${r.eventName}\t${isApiGatewayVerbRow(r) ? r.note.slice(0, 14) : isS3Control(r) ? 's3control' : ''}`;
const groups = new Map<string, FactRow[]>();
for (const r of rows) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
const inConflict = (r: FactRow): boolean => new Set((groups.get(keyOf(r)) ?? []).map((x) => (NONE.test(x.iam_actions) ? '(none)' : setOf(x.iam_actions)))).size > 1;

// Rows that state a general rule or a whole event class, not one event: checked by records below.
const isClassRow = (r: FactRow): boolean => !/^[a-z0-9.-]+\.amazonaws\.com$/.test(r.eventSource) || !/^[A-Za-z0-9_]+$/.test(r.eventName);

// Rows the import corrects because the catalog proves them wrong (scripts/import-facts.mjs CORRECTIONS).
const corrected = new Set(['s3.amazonaws.com\tDeleteBucketIntelligentTieringConfiguration', 'lakeformation.amazonaws.com\tGetWorkUnits']);
const isCorrected = (r: FactRow): boolean => corrected.has(`${r.eventSource}\t${r.eventName}`);
const plain = rows.filter((r) => !inConflict(r) && !isClassRow(r) && !isCorrected(r));
const mapper = new Mapper(catalog());
beforeAll(async () => {
  await catalog().loadAll();
});

describe('conformance with the researched facts', () => {
  it('covers the facts table', () => {
    expect(rows.length).toBeGreaterThan(1300);
    expect(plain.length).toBeGreaterThan(1250);
  });

  it.each(plain.map((r) => [`${r.eventSource} ${r.eventName} → ${r.iam_actions}`, r] as const))('%s', (_, r) => {
    if (isApiGatewayVerbRow(r)) {
      const v2 = r.note.startsWith('API Gateway V2');
      const m = mapper.map(call(r.eventSource, r.eventName, v2 ? { apiId: 'a1b2c3' } : { restApiId: 'r1s2t3' }));
      expect(m.kind === 'mapped' ? m.needs.map((n) => n.action).join(',') : m.kind).toBe(r.iam_actions);
      return;
    }
    const d = mapper.describe(r.eventSource, r.eventName);
    if (NONE.test(r.iam_actions)) {
      expect(d.none, 'a no-permission rule').toBeTruthy();
      return;
    }
    if (/^LEGACY eventName form/.test(r.note)) {
      // The row states the name rule: the legacy name maps to the plain call's own action.
      expect(d.actions.filter(([, w]) => w === 'always').map(([a]) => a)).toEqual([r.iam_actions]);
      return;
    }
    const listed = isS3Control(r) ? Object.values(d.variants ?? {}).find((v) => setOf(v.actions.map(([a]) => a).join(',')) === setOf(r.iam_actions))?.actions : d.actions;
    expect(setOf((listed ?? []).map(([a]) => a).join(','))).toBe(setOf(r.iam_actions));
  });
});

describe('conflicting facts: the chosen side, pinned', () => {
  const actionsOf = (source: string, name: string): string => setOf(mapper.describe(source, name).actions.map(([a]) => a).join(','));

  it('S3 PutBucketReplication → s3:PutReplicationConfiguration + iam:PassRole (S3 permission table; trailscraper maps it to DeleteReplicationConfiguration, a bug)', () => {
    expect(actionsOf('s3.amazonaws.com', 'PutBucketReplication')).toBe('iam:PassRole,s3:PutReplicationConfiguration');
    expect(actionsOf('s3.amazonaws.com', 'DeleteBucketReplication')).toBe('s3:PutReplicationConfiguration');
  });

  it('S3 CopyObject → s3:GetObject on the source + s3:PutObject (S3 CloudTrail docs; trailscraper omits GetObject)', () => {
    const m = mapper.map(
      call('s3.amazonaws.com', 'CopyObject', { bucketName: 'dst', key: 'out/a.json', 'x-amz-copy-source': 'src/in/a.json' }, { resources: [{ type: 'AWS::S3::Object', arn: 'arn:aws:s3:::dst/out/a.json', arnPrefix: undefined }, { type: 'AWS::S3::Object', arn: 'arn:aws:s3:::src/in/a.json', arnPrefix: undefined }] }),
    );
    expect(m.kind === 'mapped' && m.needs.map((n) => [n.action, n.resources])).toEqual([
      ['s3:GetObject', ['arn:aws:s3:::src/in/a.json']],
      ['s3:PutObject', ['arn:aws:s3:::dst/out/a.json']],
    ]);
  });

  it('S3 UploadPartCopy → GetObject + PutObject (SDK model docs: GetObject on the copy source)', () => {
    expect(actionsOf('s3.amazonaws.com', 'UploadPartCopy')).toBe('s3:GetObject,s3:PutObject');
  });

  it('S3 HeadObject, DeleteObjects → the single-object actions (AWS S3 docs; version actions only with a versionId)', () => {
    expect(actionsOf('s3.amazonaws.com', 'HeadObject')).toBe('s3:GetObject');
    expect(actionsOf('s3.amazonaws.com', 'DeleteObjects')).toBe('s3:DeleteObject');
  });

  it('S3 CreateBucket → s3:CreateBucket; s3-outposts:CreateBucket only for an Outposts request', () => {
    const plainCall = mapper.map(call('s3.amazonaws.com', 'CreateBucket', { bucketName: 'b' }));
    expect(plainCall.kind === 'mapped' && plainCall.needs[0]?.action).toBe('s3:CreateBucket');
    const outposts = mapper.map(call('s3.amazonaws.com', 'CreateBucket', { bucketName: 'b' }, { host: 's3-outposts.eu-west-1.amazonaws.com' }));
    expect(outposts.kind === 'mapped' && outposts.needs[0]?.action).toBe('s3-outposts:CreateBucket');
  });

  it('S3 Get/Put/DeletePublicAccessBlock: bucket-level with a bucket, account-level without', () => {
    const bucket = mapper.map(call('s3.amazonaws.com', 'PutPublicAccessBlock', { bucketName: 'b' }));
    expect(bucket.kind === 'mapped' && bucket.needs[0]?.action).toBe('s3:PutBucketPublicAccessBlock');
    const account = mapper.map(call('s3.amazonaws.com', 'GetPublicAccessBlock', {}));
    expect(account.kind === 'mapped' && account.needs[0]?.action).toBe('s3:GetAccountPublicAccessBlock');
  });

  it('KMS ReEncrypt → ReEncryptFrom + ReEncryptTo (SAR; trailscraper approximates kms:ReEncrypt*)', () => {
    expect(actionsOf('kms.amazonaws.com', 'ReEncrypt')).toBe('kms:ReEncryptFrom,kms:ReEncryptTo');
  });

  it('dynamodb DescribeEndpoints → the SAR action (iam-dataset calls it permissionless; the SAR wins)', () => {
    expect(actionsOf('dynamodb.amazonaws.com', 'DescribeEndpoints')).toBe('dynamodb:DescribeEndpoints');
  });

  it('Lambda CreateFunction / UpdateFunctionConfiguration: the SAR superset, each extra under its condition', () => {
    const d = mapper.describe('lambda.amazonaws.com', 'CreateFunction');
    expect(Object.fromEntries(d.actions)).toEqual({
      'lambda:CreateFunction': 'always',
      'iam:PassRole': 'role-passed',
      'lambda:GetLayerVersion': 'layers',
      'lambda:TagResource': 'tags',
      'lambda:PassCapacityProvider': 'capacity-provider',
    });
    expect(actionsOf('lambda.amazonaws.com', 'UpdateFunctionConfiguration')).toBe('iam:PassRole,lambda:GetLayerVersion,lambda:PassCapacityProvider,lambda:UpdateFunctionConfiguration');
  });

  it('SNS CreateTopic, ECS create/run calls: the AWS-documented tag-on-create and PassRole extras together', () => {
    expect(actionsOf('sns.amazonaws.com', 'CreateTopic')).toBe('iam:PassRole,sns:CreateTopic,sns:PutDataProtectionPolicy,sns:TagResource');
    expect(actionsOf('ecs.amazonaws.com', 'RunTask')).toBe('ecs:RunTask,ecs:TagResource');
  });

  it('S3 PutBucketNotification → s3:PutBucketNotification (S3 docs; iam-dataset adds PassRole)', () => {
    expect(actionsOf('s3.amazonaws.com', 'PutBucketNotification')).toBe('s3:PutBucketNotification');
  });

  it('unsigned STS calls need no permission (botocore auth=noAuth and the SAR agree)', () => {
    expect(mapper.describe('sts.amazonaws.com', 'AssumeRoleWithWebIdentity').none).toBeTruthy();
    expect(mapper.describe('sts.amazonaws.com', 'AssumeRoleWithSAML').none).toBeTruthy();
  });

  it('API Gateway V1 vs V2 TagResource: PUT on /tags for REST, POST on /v2/tags for HTTP APIs', () => {
    const v1 = mapper.map(call('apigateway.amazonaws.com', 'TagResource', { resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/r1' }));
    const v2 = mapper.map(call('apigateway.amazonaws.com', 'TagResource', { apiId: 'a1', resourceArn: 'arn:aws:apigateway:eu-west-1::/apis/a1' }));
    expect(v1.kind === 'mapped' && v1.needs[0]?.action).toBe('apigateway:PUT');
    expect(v2.kind === 'mapped' && v2.needs[0]?.action).toBe('apigateway:POST');
  });

  it('facts the catalog proves wrong are corrected: S3 intelligent-tiering delete needs the Put action; a typo in iam-dataset', () => {
    expect(actionsOf('s3.amazonaws.com', 'DeleteBucketIntelligentTieringConfiguration')).toBe('s3:PutIntelligentTieringConfiguration');
    expect(catalog().action('s3:DeleteIntelligentTieringConfiguration')).toBeUndefined();
    expect(actionsOf('lakeformation.amazonaws.com', 'GetWorkUnits')).toBe('lakeformation:GetWorkUnits,lakeformation:StartQueryPlanning');
  });

  it('every conflicting fact is pinned above', () => {
    const pinned = new Set(['PutBucketReplication', 'DeleteBucketReplication', 'CopyObject', 'UploadPartCopy', 'HeadObject', 'DeleteObjects', 'CreateBucket', 'DeletePublicAccessBlock', 'GetPublicAccessBlock', 'PutPublicAccessBlock', 'ReEncrypt', 'DescribeEndpoints', 'CreateFunction', 'UpdateFunctionConfiguration', 'CreateTopic', 'PutBucketNotification', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'TagResource', 'CreateService', 'CreateTaskSet', 'RegisterTaskDefinition', 'RunTask', 'StartTask', 'CreateApiKey', 'CreateAuthorizer', 'CreateDomainName', 'DeleteBucketTagging', 'GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration']);
    const conflicting = [...new Set(rows.filter((r) => inConflict(r) && !isClassRow(r)).map((r) => r.eventName))].sort();
    expect(conflicting.filter((n) => !pinned.has(n))).toEqual([]);
  });
});
