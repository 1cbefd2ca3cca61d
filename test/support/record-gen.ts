import fc from 'fast-check';

/** Realistic role API calls, each with the action it needs and the resource it names. */
export interface GenCall {
  readonly role: number;
  readonly session: number;
  readonly op: number;
  readonly target: number;
  readonly second: number;
  readonly error: 'none' | 'denied' | 'throttled';
}

export const ACCOUNT = '123456789012';
const letter = (t: number): string => 'abcdefghijklmnopqrstuvwxyz'[t % 26] as string;
export const roleArn = (i: number): string => `arn:aws:iam::${ACCOUNT}:role/${i === 2 ? 'service-role/' : ''}app-role-${i}`;

/** op → (eventSource, eventName, params for target t) and the action + resource it needs. */
export const OPS: readonly { source: string; name: string; params: (t: number) => Record<string, unknown>; action: string; resource: (t: number) => string }[] = [
  { source: 's3', name: 'GetObject', params: (t) => ({ bucketName: 'data', key: `in/${t}.json` }), action: 's3:GetObject', resource: (t) => `arn:aws:s3:::data/in/${t}.json` },
  // Literal wildcards in keys. (Letters, not digits, around them: iam-simulate 0.1 misreads
  // `${*}10${?}`, though IAM's documented escapes make it literal.)
  { source: 's3', name: 'PutObject', params: (t) => ({ bucketName: 'out', key: `k*${letter(t)}?` }), action: 's3:PutObject', resource: (t) => `arn:aws:s3:::out/k*${letter(t)}?` },
  { source: 'dynamodb', name: 'GetItem', params: (t) => ({ tableName: `t${t % 3}` }), action: 'dynamodb:GetItem', resource: (t) => `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t${t % 3}` },
  { source: 'sqs', name: 'SendMessageBatch', params: (t) => ({ queueUrl: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/q${t % 4}` }), action: 'sqs:SendMessage', resource: (t) => `arn:aws:sqs:eu-west-1:${ACCOUNT}:q${t % 4}` },
  { source: 'lambda', name: 'Invoke', params: (t) => ({ functionName: `fn-${t % 5}` }), action: 'lambda:InvokeFunction', resource: (t) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn-${t % 5}` },
  { source: 'secretsmanager', name: 'GetSecretValue', params: (t) => ({ secretId: `app/s${t % 2}` }), action: 'secretsmanager:GetSecretValue', resource: (t) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:app/s${t % 2}-AbCdEf` },
  { source: 'ssm', name: 'GetParameter', params: (t) => ({ name: `/app/p${t % 6}` }), action: 'ssm:GetParameter', resource: (t) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/app/p${t % 6}` },
  { source: 'monitoring', name: 'PutMetricData', params: () => ({ namespace: 'App' }), action: 'cloudwatch:PutMetricData', resource: () => '*' },
];

export const genCall: fc.Arbitrary<GenCall> = fc.record({
  role: fc.integer({ min: 0, max: 3 }),
  session: fc.integer({ min: 0, max: 2 }),
  op: fc.integer({ min: 0, max: OPS.length - 1 }),
  target: fc.integer({ min: 0, max: 40 }),
  second: fc.integer({ min: 0, max: 86_399 }),
  error: fc.constantFrom('none', 'none', 'none', 'none', 'denied', 'throttled'),
});

export function toRecord(c: GenCall, index: number): Record<string, unknown> {
  const op = OPS[c.op] as (typeof OPS)[number];
  const role = roleArn(c.role);
  const name = role.slice(role.lastIndexOf('/') + 1);
  const t = new Date(Date.UTC(2026, 9, 1) + c.second * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const r: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/fn-${c.session}`, principalId: `AROA:fn-${c.session}`, sessionContext: { sessionIssuer: { arn: role } } },
    eventTime: t,
    eventSource: `${op.source}.amazonaws.com`,
    eventName: op.name,
    awsRegion: 'eu-west-1',
    requestParameters: op.params(c.target),
    eventID: `gen-${index}`,
    recipientAccountId: ACCOUNT,
  };
  if (c.error === 'denied') Object.assign(r, { errorCode: 'AccessDenied', errorMessage: `User: x is not authorized to perform: ${op.action} on resource: ${op.resource(c.target)} because no identity-based policy allows the ${op.action} action` });
  if (c.error === 'throttled') Object.assign(r, { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' });
  return r;
}
