import { readJsonFiles } from '../io/json-files.js';
import type { FunctionConfig } from '../profile/function-config.js';

export type { FunctionConfig };
import { TailorError } from '../errors.js';
import { escapeResourceName as esc } from '../profile/escape.js';

/**
 * What Lambda needs from a function's execution role on the function's behalf, from the
 * function's configuration (`aws lambda get-function-configuration` output, optionally with
 * `EventSourceMappings` and `DestinationConfig` from list-event-source-mappings and
 * get-function-event-invoke-config). Facts: unlogged.md §5, AWS managed policies
 * AWSLambdaBasicExecutionRole, -VPCAccessExecutionRole, -SQSQueueExecutionRole, …
 */
/** One platform permission, with why Lambda needs it. */
export interface PlatformNeed {
  readonly action: string;
  readonly resource: string;
  readonly reason: string;
  readonly fn: string;
}

function arnParts(arn: string): { partition: string; service: string; region: string; account: string } {
  const [, partition = 'aws', service = '', region = '', account = ''] = arn.split(':');
  return { partition, service, region, account };
}

function targetNeeds(arn: string, reason: string, fn: string): PlatformNeed[] {
  const service = arnParts(arn).service;
  const action = service === 'sqs' ? 'sqs:SendMessage' : service === 'sns' ? 'sns:Publish' : service === 'events' ? 'events:PutEvents' : service === 'lambda' ? 'lambda:InvokeFunction' : undefined;
  return action ? [{ action, resource: esc(arn), reason, fn }] : [];
}

const POLLERS: Readonly<Record<string, readonly string[]>> = {
  sqs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  kinesis: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'],
  dynamodb: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
};

const VPC = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'];

export function platformNeeds(c: FunctionConfig): PlatformNeed[] {
  const fn = c.FunctionName;
  const arn = c.FunctionArn ?? '';
  const { partition, region, account } = arnParts(arn || c.Role);
  const group = c.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn}`;
  const logGroup = `arn:${partition}:logs:${region}:${account}:log-group:${esc(group)}`;
  const out: PlatformNeed[] = [
    { action: 'logs:CreateLogGroup', resource: logGroup, reason: 'function logs (Lambda creates its log group)', fn },
    { action: 'logs:CreateLogStream', resource: `${logGroup}:log-stream:*`, reason: 'function logs', fn },
    { action: 'logs:PutLogEvents', resource: `${logGroup}:log-stream:*`, reason: 'function logs (never in CloudTrail)', fn },
  ];
  if (c.VpcConfig?.SubnetIds?.length) for (const a of VPC) out.push({ action: a, resource: '*', reason: 'VPC network interfaces', fn });
  if (c.TracingConfig?.Mode === 'Active') for (const a of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']) out.push({ action: a, resource: '*', reason: 'active X-Ray tracing', fn });
  if (c.DeadLetterConfig?.TargetArn) out.push(...targetNeeds(c.DeadLetterConfig.TargetArn, 'dead-letter queue', fn));
  for (const d of [c.DestinationConfig?.OnSuccess?.Destination, c.DestinationConfig?.OnFailure?.Destination]) if (d) out.push(...targetNeeds(d, 'asynchronous invocation destination', fn));
  if (c.KMSKeyArn) out.push({ action: 'kms:Decrypt', resource: esc(c.KMSKeyArn), reason: 'environment variables encrypted with a customer key', fn });
  for (const f of c.FileSystemConfigs ?? []) {
    const fs = arnParts(f.Arn);
    for (const a of ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']) out.push({ action: a, resource: `arn:${fs.partition}:elasticfilesystem:${fs.region}:${fs.account}:file-system/*`, reason: 'EFS mount', fn });
  }
  for (const m of c.EventSourceMappings ?? []) {
    if (!m.EventSourceArn) continue;
    for (const a of POLLERS[arnParts(m.EventSourceArn).service] ?? []) out.push({ action: a, resource: esc(m.EventSourceArn), reason: 'event source mapping poller', fn });
  }
  return out;
}

/** Function configurations from a file or a directory of them (offline use). */
export async function loadFunctionConfigs(path: string): Promise<FunctionConfig[]> {
  const out: FunctionConfig[] = [];
  for (const { file, value: v } of await readJsonFiles(path)) {
    for (const c of Array.isArray(v) ? v : [v]) {
      const cfg = c as Partial<FunctionConfig> | null;
      if (!cfg || typeof cfg.FunctionName !== 'string' || typeof cfg.Role !== 'string') throw new TailorError('bad-policy-file', 'not a Lambda function configuration (needs FunctionName and Role)', { file });
      out.push(cfg as FunctionConfig);
    }
  }
  return out;
}
