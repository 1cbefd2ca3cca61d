#!/usr/bin/env node
// Rebuilds samples/ (committed): CloudTrail logs in the S3 delivery layout from the shared
// generator, and each role's *current*, over-broad policy as an admin typically has it.
// Development-time only: nothing at run time or in `npm test` needs ../shared.
//
//   node scripts/make-samples.mjs [--generator ../shared/tools/gen-cloudtrail.mjs]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { generator: { type: 'string', default: '../shared/tools/gen-cloudtrail.mjs' } } });
// 7 Lambda roles (one shared by two functions) and an EC2 role over 36 days; seed 11 covers
// S3, DynamoDB, SQS, SNS, KMS, Secrets Manager, SSM, STS, Lambda, EventBridge and CloudWatch.
const ARGS = ['--events', '3000', '--days', '36', '--accounts', '1', '--roles', '8', '--seed', '11', '--per-file', '150', '--start', '2026-09-20'];

rmSync('samples/cloudtrail', { recursive: true, force: true });
rmSync('samples/current', { recursive: true, force: true });
execFileSync(process.execPath, [values.generator, '--out', 'samples/cloudtrail', ...ARGS], { stdio: 'inherit' });
const manifest = JSON.parse(readFileSync('samples/cloudtrail/manifest.json', 'utf8'));
rmSync('samples/cloudtrail/manifest.json');
writeFileSync('samples/manifest.json', JSON.stringify(manifest, null, 2) + '\n');

// Which functions get which feature (see the configurations below): the same walk, twice.
const features = new Map();
{
  let i = 0;
  for (const [arn, role] of Object.entries(manifest.roles)) for (const fn of role.sessions) if (!fn.startsWith('i-')) features.set(fn, { arn, n: i++ });
}
const vpcRoles = new Set([...features.values()].filter((f) => f.n % 4 === 2).map((f) => f.arn));

// What admins grant in practice: whole services on everything, the basic execution role, and
// a few services the function never touches.
for (const [arn, role] of Object.entries(manifest.roles)) {
  const account = arn.split(':')[4];
  const name = arn.split('/').pop();
  // One role has drifted: its policy lost a service the function still calls (a "missing" grant).
  const services = [...new Set(role.used.map((a) => a.split(':')[0]))].sort().filter((s) => !(name.startsWith('reports-') && s === 'kms'));
  const statements = [
    { Sid: 'BasicExecution', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
    { Sid: 'App', Effect: 'Allow', Action: services.filter((s) => s !== 'logs').map((s) => `${s}:*`), Resource: '*' },
    { Sid: 'Leftovers', Effect: 'Allow', Action: ['sqs:SendMessage', 'sns:Publish', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'iam:PassRole'], Resource: '*' },
  ];
  if (vpcRoles.has(arn)) statements.push({ Sid: 'VPCAccess', Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], Resource: '*' });
  mkdirSync(join('samples/current', account), { recursive: true });
  writeFileSync(join('samples/current', account, `${name}.json`), JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n');
}
// Lambda function configurations as `aws lambda get-function-configuration` prints them, one
// feature each so that every kind of platform permission appears: VPC, tracing, a dead-letter
// queue, an asynchronous-invocation destination, an SQS event source mapping.
rmSync('samples/lambda', { recursive: true, force: true });
mkdirSync('samples/lambda', { recursive: true });
let n = 0;
for (const [arn, role] of Object.entries(manifest.roles)) {
  const account = arn.split(':')[4];
  for (const fn of role.sessions) {
    if (fn.startsWith('i-')) continue; // the EC2 instance role's sessions are instances
    const base = `arn:aws:lambda:us-east-1:${account}:function:${fn}`;
    const cfg = { FunctionName: fn, FunctionArn: base, Runtime: 'nodejs20.x', Role: arn, Handler: 'index.handler', MemorySize: 512, Timeout: 30, TracingConfig: { Mode: n % 3 === 1 ? 'Active' : 'PassThrough' }, LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn}` } };
    if (n % 4 === 2) cfg.VpcConfig = { SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0123456789abcdef0'], VpcId: 'vpc-0f1e2d3c4b5a69788' };
    if (n % 5 === 3) cfg.DeadLetterConfig = { TargetArn: `arn:aws:sqs:us-east-1:${account}:${fn}-dlq` };
    if (n % 4 === 1) cfg.DestinationConfig = { OnSuccess: {}, OnFailure: { Destination: `arn:aws:sns:us-east-1:${account}:${fn}-failures` } };
    if (n % 4 === 0) cfg.EventSourceMappings = [{ UUID: `0000000${n}-1111-2222-3333-444444444444`, EventSourceArn: `arn:aws:sqs:us-east-1:${account}:${fn}-jobs`, FunctionArn: base, State: 'Enabled', BatchSize: 10 }];
    writeFileSync(join('samples/lambda', `${fn}.json`), JSON.stringify(cfg, null, 2) + '\n');
    n++;
  }
}
console.log(`samples: ${Object.keys(manifest.roles).length} roles, ${manifest.files} files, ${n} function configurations`);
