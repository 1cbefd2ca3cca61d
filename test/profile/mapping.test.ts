import { beforeAll, describe, expect, it } from 'vitest';
import { normalize, type Call } from '../../src/profile/call.js';
import { Mapper, type Mapping } from '../../src/profile/mapping.js';
import { catalog } from '../support/fixtures.js';
import { call } from '../support/records.js';

const mapper = new Mapper(catalog());
beforeAll(async () => {
  await catalog().loadAll();
});

/** action → resources of a mapped call (fails the test for anything else). */
function needs(m: Mapping): Record<string, readonly string[]> {
  if (m.kind !== 'mapped') throw new Error(`expected a mapping, got ${m.kind}: ${m.reason}`);
  return Object.fromEntries(m.needs.map((n) => [n.action, n.resources]));
}
const map = (c: Call): Record<string, readonly string[]> => needs(mapper.map(c));
const res = (type: string, arn: string): Call['resources'][number] => ({ type, arn, arnPrefix: undefined });

const A = '123456789012';

describe('actions', () => {
  it('strips legacy date suffixes and nothing else', () => {
    expect(Object.keys(map(call('lambda.amazonaws.com', 'GetFunction20150331v2', { functionName: 'fn' })))).toEqual(['lambda:GetFunction']);
    expect(Object.keys(map(call('lambda.amazonaws.com', 'ListFunctions20150331')))).toEqual(['lambda:ListFunctions']);
    expect(Object.keys(map(call('cloudfront.amazonaws.com', 'UpdateDistribution2016_11_25', { id: 'E1' })))).toEqual(['cloudfront:UpdateDistribution']);
    expect(Object.keys(map(call('kafka.amazonaws.com', 'DescribeClusterV2', { clusterArn: `arn:aws:kafka:eu-west-1:${A}:cluster/c/1` })))).toEqual(['kafka:DescribeClusterV2']);
  });

  it('renames event sources to IAM prefixes', () => {
    expect(Object.keys(map(call('monitoring.amazonaws.com', 'PutMetricData', { namespace: 'App' })))).toEqual(['cloudwatch:PutMetricData']);
    expect(Object.keys(map(call('tagging.amazonaws.com', 'GetResources')))).toEqual(['tag:GetResources']);
  });

  it('maps batch calls to the single-item action', () => {
    const url = `https://sqs.eu-west-1.amazonaws.com/${A}/jobs`;
    expect(map(call('sqs.amazonaws.com', 'SendMessageBatch', { queueUrl: url }))).toEqual({ 'sqs:SendMessage': [`arn:aws:sqs:eu-west-1:${A}:jobs`] });
    expect(map(call('sqs.amazonaws.com', 'DeleteMessageBatch', { queueUrl: url }))).toEqual({ 'sqs:DeleteMessage': [`arn:aws:sqs:eu-west-1:${A}:jobs`] });
    expect(Object.keys(map(call('sns.amazonaws.com', 'PublishBatch', { topicArn: `arn:aws:sns:eu-west-1:${A}:t` })))).toEqual(['sns:Publish']);
  });

  it('maps Invoke to lambda:InvokeFunction (there is no lambda:Invoke)', () => {
    expect(map(call('lambda.amazonaws.com', 'Invoke', { functionName: `arn:aws:lambda:eu-west-1:${A}:function:resize` }))).toEqual({ 'lambda:InvokeFunction': [`arn:aws:lambda:eu-west-1:${A}:function:resize`] });
  });

  it('splits KMS ReEncrypt into ReEncryptFrom and ReEncryptTo, on the source and destination keys', () => {
    const m = map(call('kms.amazonaws.com', 'ReEncrypt', { sourceKeyId: `arn:aws:kms:eu-west-1:${A}:key/src`, destinationKeyId: `arn:aws:kms:eu-west-1:${A}:key/dst` }));
    expect(Object.keys(m).sort()).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });

  it('maps TransactWriteItems by item kind, each on its own table', () => {
    const m = map(call('dynamodb.amazonaws.com', 'TransactWriteItems', { transactItems: [{ put: { tableName: 'orders' } }, { update: { tableName: 'stock' } }, { conditionCheck: { tableName: 'users' } }] }));
    expect(m).toEqual({
      'dynamodb:ConditionCheckItem': [`arn:aws:dynamodb:eu-west-1:${A}:table/users`],
      'dynamodb:PutItem': [`arn:aws:dynamodb:eu-west-1:${A}:table/orders`],
      'dynamodb:UpdateItem': [`arn:aws:dynamodb:eu-west-1:${A}:table/stock`],
    });
  });

  it('maps PartiQL by statement verb', () => {
    expect(map(call('dynamodb.amazonaws.com', 'ExecuteStatement', { statement: 'SELECT * FROM "orders" WHERE pk = ?' }))).toEqual({ 'dynamodb:PartiQLSelect': [`arn:aws:dynamodb:eu-west-1:${A}:table/orders`] });
    const batch = map(call('dynamodb.amazonaws.com', 'BatchExecuteStatement', { statements: [{ statement: 'INSERT INTO "a" VALUE {}' }, { statement: 'DELETE FROM b WHERE pk = ?' }] }));
    expect(Object.keys(batch).sort()).toEqual(['dynamodb:PartiQLDelete', 'dynamodb:PartiQLInsert']);
  });

  it('needs nothing for permissionless and unsigned calls', () => {
    for (const [s, n] of [
      ['sts.amazonaws.com', 'GetCallerIdentity'],
      ['sts.amazonaws.com', 'AssumeRoleWithWebIdentity'],
      ['cognito-identity.amazonaws.com', 'GetId'],
      ['signin.amazonaws.com', 'ConsoleLogin'],
    ] as const) {
      expect(mapper.map(call(s, n)).kind, `${s} ${n}`).toBe('none');
    }
  });

  it('reports an unknown service or action as unmapped, never inventing one', () => {
    const m = mapper.map(call('quantum.amazonaws.com', 'DescribeQuantumWidgets'));
    expect(m.kind).toBe('unmapped');
    expect(mapper.map(call('s3.amazonaws.com', 'FrobnicateBucket', { bucketName: 'b' })).kind).toBe('unmapped');
  });

  it('adds implied permissions with the resource the event names, labelled implied', () => {
    const m = mapper.map(call('lambda.amazonaws.com', 'CreateFunction20150331', { functionName: 'fn', role: `arn:aws:iam::${A}:role/service-role/fn-exec`, tags: { team: 'x' }, layers: [`arn:aws:lambda:eu-west-1:${A}:layer:l:3`] }));
    expect(m.kind === 'mapped' && m.needs.map((n) => [n.action, n.resources, n.implied])).toEqual([
      ['lambda:CreateFunction', [`arn:aws:lambda:eu-west-1:${A}:function:fn`], false],
      ['iam:PassRole', [`arn:aws:iam::${A}:role/service-role/fn-exec`], true],
      ['lambda:GetLayerVersion', [`arn:aws:lambda:eu-west-1:${A}:layer:l:3`], true],
      ['lambda:TagResource', [`arn:aws:lambda:eu-west-1:${A}:function:fn`], true],
    ]);
    expect(m.kind === 'mapped' && m.possible).toEqual(['lambda:PassCapacityProvider']);
    const untagged = needs(mapper.map(call('lambda.amazonaws.com', 'CreateFunction', { functionName: 'fn', role: `arn:aws:iam::${A}:role/fn-exec` })));
    expect(Object.keys(untagged)).toEqual(['lambda:CreateFunction', 'iam:PassRole']);
  });

  it('EC2 RunInstances with an instance profile implies iam:PassRole on the account’s roles', () => {
    const m = map(call('ec2.amazonaws.com', 'RunInstances', { instancesSet: { items: [{ imageId: 'ami-1' }] }, iamInstanceProfile: { name: 'web' } }));
    expect(m['iam:PassRole']).toEqual([`arn:aws:iam::${A}:role/*`]);
    expect(Object.keys(map(call('ec2.amazonaws.com', 'RunInstances', { instancesSet: {} })))).toEqual(['ec2:RunInstances']);
  });
});

describe('resources, per service', () => {
  it('S3: object and bucket from resources[], object from an access point', () => {
    const objRes = [res('AWS::S3::Object', 'arn:aws:s3:::data/in/a.json'), res('AWS::S3::Bucket', 'arn:aws:s3:::data')];
    expect(map(call('s3.amazonaws.com', 'GetObject', { bucketName: 'data', key: 'in/a.json' }, { resources: objRes }))).toEqual({ 's3:GetObject': ['arn:aws:s3:::data/in/a.json'] });
    expect(map(call('s3.amazonaws.com', 'ListObjectsV2', { bucketName: 'data', prefix: 'in/' }, { resources: [{ type: 'AWS::S3::Object', arn: undefined, arnPrefix: 'arn:aws:s3:::data/in/' }, res('AWS::S3::Bucket', 'arn:aws:s3:::data')] }))).toEqual({ 's3:ListBucket': ['arn:aws:s3:::data'] });
    const ap = `arn:aws:s3:eu-west-1:${A}:accesspoint/reports`;
    expect(map(call('s3.amazonaws.com', 'GetObject', { bucketName: 'reports-ap-alias', key: 'q3.csv' }, { resources: [res('AWS::S3::AccessPoint', ap)] }))['s3:GetObject']).toContain(`${ap}/object/q3.csv`);
  });

  it('S3: a key with * ? $ is escaped so only that object is granted', () => {
    expect(map(call('s3.amazonaws.com', 'PutObject', { bucketName: 'b', key: 'a*b?$.txt' }))).toEqual({ 's3:PutObject': ['arn:aws:s3:::b/a${*}b${?}${$}.txt'] });
  });

  it('DynamoDB: table, index (not the table), stream', () => {
    expect(map(call('dynamodb.amazonaws.com', 'GetItem', { tableName: 'orders', key: {} }))).toEqual({ 'dynamodb:GetItem': [`arn:aws:dynamodb:eu-west-1:${A}:table/orders`] });
    expect(map(call('dynamodb.amazonaws.com', 'Query', { tableName: 'orders', indexName: 'gsi1' }, { resources: [res('AWS::DynamoDB::Table', `arn:aws:dynamodb:eu-west-1:${A}:table/orders`)] }))).toEqual({ 'dynamodb:Query': [`arn:aws:dynamodb:eu-west-1:${A}:table/orders/index/gsi1`] });
    const stream = `arn:aws:dynamodb:eu-west-1:${A}:table/orders/stream/2026-10-01T00:00:00.000`;
    expect(map(call('dynamodb.amazonaws.com', 'DescribeStream', { streamArn: stream }))['dynamodb:DescribeStream']).toEqual([stream]);
    expect(map(call('dynamodb.amazonaws.com', 'BatchWriteItem', { requestItems: { a: [], b: [] } }))).toEqual({ 'dynamodb:BatchWriteItem': [`arn:aws:dynamodb:eu-west-1:${A}:table/a`, `arn:aws:dynamodb:eu-west-1:${A}:table/b`] });
  });

  it('SQS: the queue from queueUrl, its own region and account', () => {
    expect(map(call('sqs.amazonaws.com', 'ReceiveMessage', { queueUrl: 'https://sqs.us-west-2.amazonaws.com/210987654321/in.fifo' }))).toEqual({ 'sqs:ReceiveMessage': ['arn:aws:sqs:us-west-2:210987654321:in.fifo'] });
  });

  it('SNS: topic ARN', () => {
    expect(map(call('sns.amazonaws.com', 'Publish', { topicArn: `arn:aws:sns:eu-west-1:${A}:alerts` }))).toEqual({ 'sns:Publish': [`arn:aws:sns:eu-west-1:${A}:alerts`] });
  });

  it('KMS: the key from resources[], a key id, or an ARN; an alias for alias actions', () => {
    const key = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(map(call('kms.amazonaws.com', 'GenerateDataKey', { keyId: 'alias/app', keySpec: 'AES_256' }, { resources: [res('AWS::KMS::Key', key)] }))).toEqual({ 'kms:GenerateDataKey': [key] });
    expect(map(call('kms.amazonaws.com', 'Encrypt', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }))).toEqual({ 'kms:Encrypt': [key] });
    expect(map(call('kms.amazonaws.com', 'CreateAlias', { aliasName: 'alias/app', targetKeyId: key }))['kms:CreateAlias']).toEqual([`arn:aws:kms:eu-west-1:${A}:alias/app`, key]);
  });

  it('Secrets Manager: a name gets the -?????? suffix wildcard, an ARN is kept', () => {
    expect(map(call('secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: 'prod/db' }))).toEqual({ 'secretsmanager:GetSecretValue': [`arn:aws:secretsmanager:eu-west-1:${A}:secret:prod/db-??????`] });
    const arn = `arn:aws:secretsmanager:eu-west-1:${A}:secret:prod/db-AbCdEf`;
    expect(map(call('secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: arn }))).toEqual({ 'secretsmanager:GetSecretValue': [arn] });
  });

  it('SSM: parameter names and paths', () => {
    expect(map(call('ssm.amazonaws.com', 'GetParameter', { name: '/app/config', withDecryption: true }))).toEqual({ 'ssm:GetParameter': [`arn:aws:ssm:eu-west-1:${A}:parameter/app/config`] });
    expect(map(call('ssm.amazonaws.com', 'GetParametersByPath', { path: '/app/', recursive: true }))).toEqual({ 'ssm:GetParametersByPath': [`arn:aws:ssm:eu-west-1:${A}:parameter/app`] });
  });

  it('Lambda: name, partial ARN, qualifier', () => {
    expect(map(call('lambda.amazonaws.com', 'GetFunction', { functionName: 'resize' }))['lambda:GetFunction']).toEqual([`arn:aws:lambda:eu-west-1:${A}:function:resize`]);
    expect(map(call('lambda.amazonaws.com', 'Invoke', { functionName: '210987654321:function:resize:prod' }))).toEqual({ 'lambda:InvokeFunction': ['arn:aws:lambda:eu-west-1:210987654321:function:resize:prod'] });
    expect(map(call('lambda.amazonaws.com', 'Invoke', { functionName: 'resize', qualifier: '7' }))).toEqual({ 'lambda:InvokeFunction': [`arn:aws:lambda:eu-west-1:${A}:function:resize:7`] });
  });

  it('Step Functions, EventBridge bus and rule, Kinesis, CloudWatch Logs', () => {
    const sm = `arn:aws:states:eu-west-1:${A}:stateMachine:flow`;
    expect(map(call('states.amazonaws.com', 'StartExecution', { stateMachineArn: sm, input: 'HIDDEN_DUE_TO_SECURITY_REASONS' }))).toEqual({ 'states:StartExecution': [sm] });
    expect(map(call('events.amazonaws.com', 'PutEvents', { entries: [{ source: 'app', detailType: 'x' }, { source: 'app', eventBusName: 'orders' }] }))).toEqual({
      'events:PutEvents': [`arn:aws:events:eu-west-1:${A}:event-bus/default`, `arn:aws:events:eu-west-1:${A}:event-bus/orders`],
    });
    expect(map(call('events.amazonaws.com', 'PutRule', { name: 'nightly', eventBusName: 'orders' }))['events:PutRule']).toEqual([`arn:aws:events:eu-west-1:${A}:rule/orders/nightly`]);
    expect(map(call('kinesis.amazonaws.com', 'PutRecords', { streamName: 'clicks' }))).toEqual({ 'kinesis:PutRecords': [`arn:aws:kinesis:eu-west-1:${A}:stream/clicks`] });
    expect(map(call('logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/lambda/fn', logStreamName: '2026/10/01/[$LATEST]ab' }))).toEqual({
      'logs:CreateLogStream': [`arn:aws:logs:eu-west-1:${A}:log-group:/aws/lambda/fn:log-stream:2026/10/01/[\${$}LATEST]ab`],
    });
    expect(map(call('logs.amazonaws.com', 'CreateLogGroup', { logGroupName: '/aws/lambda/fn' }))).toEqual({ 'logs:CreateLogGroup': [`arn:aws:logs:eu-west-1:${A}:log-group:/aws/lambda/fn`] });
  });

  it('STS and IAM: the role', () => {
    const role = `arn:aws:iam::${A}:role/reader`;
    expect(map(call('sts.amazonaws.com', 'AssumeRole', { roleArn: role, roleSessionName: 's' }, { resources: [res('AWS::IAM::Role', role)] }))).toEqual({ 'sts:AssumeRole': [role] });
    expect(map(call('iam.amazonaws.com', 'GetRole', { roleName: 'reader' }))).toEqual({ 'iam:GetRole': [role] });
  });

  it('ECR, ECS, Athena, Glue', () => {
    expect(map(call('ecr.amazonaws.com', 'BatchGetImage', { repositoryName: 'app' }))).toEqual({ 'ecr:BatchGetImage': [`arn:aws:ecr:eu-west-1:${A}:repository/app`] });
    expect(map(call('ecs.amazonaws.com', 'RunTask', { cluster: 'prod', taskDefinition: 'job:3' }))['ecs:RunTask']).toEqual([`arn:aws:ecs:eu-west-1:${A}:task-definition/job:3`]);
    expect(map(call('athena.amazonaws.com', 'StartQueryExecution', { workGroup: 'analysts', queryString: 'SELECT 1' }))).toEqual({ 'athena:StartQueryExecution': [`arn:aws:athena:eu-west-1:${A}:workgroup/analysts`] });
    expect(map(call('glue.amazonaws.com', 'GetTable', { databaseName: 'logs', name: 'cloudtrail' }))['glue:GetTable']).toContain(`arn:aws:glue:eu-west-1:${A}:catalog`);
  });

  it('uses the partition of the principal: aws-cn and aws-us-gov', () => {
    const cn = call('sqs.amazonaws.com', 'SendMessage', { queueUrl: `https://sqs.cn-north-1.amazonaws.com.cn/${A}/q` }, { partition: 'aws-cn', region: 'cn-north-1', principal: `arn:aws-cn:iam::${A}:role/r` });
    expect(map(cn)).toEqual({ 'sqs:SendMessage': [`arn:aws-cn:sqs:cn-north-1:${A}:q`] });
    const gov = call('dynamodb.amazonaws.com', 'GetItem', { tableName: 't' }, { partition: 'aws-us-gov', region: 'us-gov-west-1' });
    expect(map(gov)).toEqual({ 'dynamodb:GetItem': [`arn:aws-us-gov:dynamodb:us-gov-west-1:${A}:table/t`] });
  });

  it('without a named resource: the narrowest account- and region-scoped template, * only without resource types', () => {
    expect(map(call('sqs.amazonaws.com', 'SendMessage', {}))).toEqual({ 'sqs:SendMessage': [`arn:aws:sqs:eu-west-1:${A}:*`] });
    expect(map(call('ec2.amazonaws.com', 'DescribeInstances', {}))).toEqual({ 'ec2:DescribeInstances': ['*'] });
    expect(map(call('monitoring.amazonaws.com', 'PutMetricData', { namespace: 'x' }))).toEqual({ 'cloudwatch:PutMetricData': ['*'] });
  });

  it('API Gateway: HTTP method on the request path, ids filled in', () => {
    expect(map(call('apigateway.amazonaws.com', 'GetStage', { restApiId: 'r1', stageName: 'prod' }))).toEqual({ 'apigateway:GET': ['arn:aws:apigateway:eu-west-1::/restapis/r1/stages/prod'] });
    expect(map(call('apigateway.amazonaws.com', 'CreateRoute', { apiId: 'a1' }))).toEqual({ 'apigateway:POST': ['arn:aws:apigateway:eu-west-1::/v2/apis/a1/routes'] });
  });
});

describe('records that are not a principal’s API call', () => {
  const role = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/r/fn`, principalId: 'AROA:fn', sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${A}:role/r` } } };
  const base = { eventVersion: '1.09', eventTime: '2026-10-01T00:00:00Z', awsRegion: 'eu-west-1', userIdentity: role };

  it.each([
    ['AwsServiceEvent', { ...base, eventType: 'AwsServiceEvent', eventSource: 'kms.amazonaws.com', eventName: 'RotateKey', userIdentity: { accountId: A, invokedBy: 'AWS Internal' } }],
    ['AwsConsoleSignIn', { ...base, eventType: 'AwsConsoleSignIn', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' }],
    ['AwsCloudTrailInsight', { eventVersion: '1.08', eventType: 'AwsCloudTrailInsight', eventTime: '2026-10-01T00:00:00Z', insightDetails: {} }],
    ['AwsVpceEvent', { ...base, eventType: 'AwsVpceEvent', eventCategory: 'NetworkActivity', eventSource: 's3.amazonaws.com', eventName: 'GetObject' }],
    ['AwsConsoleAction', { ...base, eventType: 'AwsConsoleAction', eventSource: 'iam.amazonaws.com', eventName: 'SwitchRole' }],
  ])('%s → no Call', (_, record) => {
    expect(normalize(record)).toMatchObject({ skip: 'not-an-api-call' });
  });

  it('an AWS service acting (Lambda assuming the execution role) is not the role’s permission', () => {
    expect(normalize({ ...base, eventType: 'AwsApiCall', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } })).toEqual({ skip: 'aws-service', detail: 'lambda.amazonaws.com' });
  });

  it('a call a service made with the role’s own permissions keeps the permission, labelled with the service', () => {
    const n = normalize({ ...base, eventType: 'AwsApiCall', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', userIdentity: { ...role, invokedBy: 's3.amazonaws.com' }, resources: [{ type: 'AWS::KMS::Key', ARN: `arn:aws:kms:eu-west-1:${A}:key/k` }] });
    expect('call' in n && n.call.invokedBy).toBe('s3.amazonaws.com');
  });

  it.each([
    ['2026-10-01T12:34:56Z', '2026-10-01T12:34:56Z'],
    ['2026-10-01T12:34:56.789Z', '2026-10-01T12:34:56Z'],
    ['2026-10-01T14:34:56+02:00', '2026-10-01T12:34:56Z'],
    ['2028-02-29T23:59:59Z', '2028-02-29T23:59:59Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['2026-10-31T00:00:00Z', '2026-10-31T00:00:00Z'],
  ])('eventTime %s is kept as %s', (eventTime, time) => {
    const n = normalize({ ...base, eventTime, eventType: 'AwsApiCall', eventSource: 's3.amazonaws.com', eventName: 'GetObject' });
    expect('call' in n && n.call.time).toBe(time);
  });

  it.each(['2026-10-01T12:34:5xZ', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-10-01T24:00:00Z', '2026-10-01T23:60:00Z', 'yesterday', ''])('eventTime %j is not a date: the record is malformed', (eventTime) => {
    expect(normalize({ ...base, eventTime, eventType: 'AwsApiCall', eventSource: 's3.amazonaws.com', eventName: 'GetObject' })).toEqual({ skip: 'malformed', detail: 'eventTime is not a date' });
  });

  it('normalizes the principal to the role ARN with its path and the session to the function name', () => {
    const n = normalize({ ...base, eventType: 'AwsApiCall', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: { ...role, arn: `arn:aws:sts::${A}:assumed-role/my-role/my-fn`, sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${A}:role/service-role/my-role` } } } });
    expect('call' in n && [n.call.principal, n.call.session]).toEqual([`arn:aws:iam::${A}:role/service-role/my-role`, 'my-fn']);
  });
});
