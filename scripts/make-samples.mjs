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

// What admins grant in practice: whole services on everything, the basic execution role, and
// a few services the function never touches.
for (const [arn, role] of Object.entries(manifest.roles)) {
  const account = arn.split(':')[4];
  const name = arn.split('/').pop();
  const services = [...new Set(role.used.map((a) => a.split(':')[0]))].sort();
  const statements = [
    { Sid: 'BasicExecution', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
    { Sid: 'App', Effect: 'Allow', Action: services.filter((s) => s !== 'logs').map((s) => `${s}:*`), Resource: '*' },
    { Sid: 'Leftovers', Effect: 'Allow', Action: ['sqs:SendMessage', 'sns:Publish', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'iam:PassRole'], Resource: '*' },
  ];
  mkdirSync(join('samples/current', account), { recursive: true });
  writeFileSync(join('samples/current', account, `${name}.json`), JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n');
}
console.log(`samples: ${Object.keys(manifest.roles).length} roles, ${manifest.files} files`);
