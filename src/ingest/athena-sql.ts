import { TailorError } from '../errors.js';

/**
 * The Athena query that profiles a CloudTrail table where it lives: it reads only the columns
 * mapping needs, prunes partitions to the window, extracts from requestParameters only the
 * fields resources are built from, and aggregates, so rows grow with distinct
 * (role, session, event, resource, error class) and never return a raw request.
 */
export interface AthenaQuery {
  readonly database: string;
  readonly table: string;
  readonly since: Date;
  readonly until: Date;
  /** Partition layout: projection on `timestamp` (yyyy/MM/dd), or classic year/month/day. */
  readonly partitions: 'projection' | 'classic';
  readonly roles: readonly string[];
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

const IDENT = /^[a-z_][a-z0-9_]{0,127}$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Identifiers: lower-case names only, double-quoted. Anything else is refused, not escaped. */
export function quoteIdent(name: string, what: string): string {
  if (!IDENT.test(name)) throw new TailorError('bad-argument', `${what} "${name}" is not a plain Athena name (lower-case letters, digits, _)`, { argument: `--${what}` });
  return `"${name}"`;
}

/** String literals from validated values; the quote doubling is belt and braces. */
function literal(value: string, pattern: RegExp, what: string, argument: string): string {
  if (!pattern.test(value)) throw new TailorError('bad-argument', `${what} "${value}" is refused: it cannot be passed to SQL safely`, { argument });
  return `'${value.replace(/'/g, "''")}'`;
}

/** Scalar request parameters resources are built from (see src/profile/resources.ts). */
export const SCALAR_PARAMS = [
  'bucketName', 'key', 'x-amz-copy-source', 'versionId', 'Host', 'tableName', 'indexName', 'streamArn', 'tableArn', 'queueUrl', 'queueName',
  'topicArn', 'targetArn', 'resourceArn', 'keyId', 'sourceKeyId', 'destinationKeyId', 'targetKeyId', 'aliasName', 'secretId', 'name', 'path',
  'functionName', 'qualifier', 'stateMachineArn', 'executionArn', 'eventBusName', 'rule', 'streamName', 'streamARN', 'logGroupName',
  'logStreamName', 'roleArn', 'roleName', 'userName', 'groupName', 'instanceProfileName', 'policyArn', 'repositoryName', 'cluster',
  'taskDefinition', 'service', 'workGroup', 'catalogName', 'databaseName', 'fromEmailAddress', 'source', 'restApiId', 'apiId', 'stageName',
  'resourceId', 'statement', 'sourceIdentity', 'policy',
] as const;

/** Parameters kept as JSON because conditions look inside them. */
export const JSON_PARAMS = ['transactItems', 'statements', 'transactStatements', 'requestItems', 'names', 'layers', 'entries', 'iamInstanceProfile'] as const;

function days(since: Date, until: Date): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  while (d <= until) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Partition predicate naming exactly the days of the window. */
export function partitionPredicate(q: Pick<AthenaQuery, 'since' | 'until' | 'partitions'>): string {
  const all = days(q.since, q.until);
  const first = (all[0] as string).replace(/-/g, '/');
  const last = (all[all.length - 1] as string).replace(/-/g, '/');
  if (q.partitions === 'projection') return `"timestamp" BETWEEN '${first}' AND '${last}'`;
  // Classic partitions: one conjunct per month, the days listed.
  const byMonth = new Map<string, string[]>();
  for (const d of all) {
    const [y, m, day] = d.split('-') as [string, string, string];
    byMonth.set(`${y}-${m}`, [...(byMonth.get(`${y}-${m}`) ?? []), day]);
  }
  return `(${[...byMonth]
    .map(([ym, ds]) => {
      const [y, m] = ym.split('-');
      return `(year = '${y}' AND month = '${m}' AND day IN (${ds.map((d) => `'${d}'`).join(', ')}))`;
    })
    .join(' OR ')})`;
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildAthenaSql(q: AthenaQuery): string {
  const table = `${quoteIdent(q.database, 'database')}.${quoteIdent(q.table, 'table')}`;
  const where = [
    partitionPredicate(q),
    `eventtime BETWEEN '${iso(q.since)}' AND '${iso(q.until)}'`,
    `useridentity.type = 'AssumedRole'`,
    `(eventtype IS NULL OR eventtype NOT IN ('AwsServiceEvent', 'AwsConsoleSignIn', 'AwsConsoleAction', 'AwsCloudTrailInsight', 'AwsVpceEvent'))`,
  ];
  if (q.roles.length) where.push(`useridentity.sessioncontext.sessionissuer.arn IN (${q.roles.map((r) => literal(r, ROLE_ARN, 'role ARN', '--role')).join(', ')})`);
  if (q.accounts.length) {
    const list = q.accounts.map((a) => literal(a, ACCOUNT, 'account', '--account')).join(', ');
    where.push(`recipientaccountid IN (${list})`);
    // The projection's account partition (injected) is pruned by the same list.
    if (q.partitions === 'projection') where.push(`account IN (${list})`);
  }
  if (q.regions.length) where.push(`awsregion IN (${q.regions.map((r) => literal(r, REGION, 'region', '--region')).join(', ')})`);
  const scalar = SCALAR_PARAMS.map((k) => `'${k}', json_extract_scalar(requestparameters, '$["${k}"]')`);
  const json = JSON_PARAMS.map((k) => `'${k}', json_format(json_extract(requestparameters, '$["${k}"]'))`);
  const params = `json_format(CAST(map_filter(map_from_entries(ARRAY[${[...scalar, ...json].map((e) => `(${e})`).join(', ')}]), (k, v) -> v IS NOT NULL) AS JSON))`;
  const columns = [
    `useridentity.sessioncontext.sessionissuer.arn AS principal`,
    `regexp_extract(useridentity.arn, 'assumed-role/[^/]+/(.+)$', 1) AS session`,
    `eventsource`,
    `eventname`,
    `awsregion AS region`,
    `errorcode`,
    // Denials name the exact action and resource; nothing else of the message is kept.
    `regexp_extract(errormessage, 'not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9*]+)', 1) AS denied_action`,
    `regexp_extract(errormessage, 'not authorized to perform: [^ ]+ on resource: ([^ ]+)', 1) AS denied_resource`,
    `useridentity.invokedby AS invokedby`,
    `coalesce(managementevent, true) AS managementevent`,
    `json_format(CAST(transform(coalesce(resources, ARRAY[]), r -> ARRAY[r.type, r.arn]) AS JSON)) AS resources`,
    `${params} AS params`,
    `regexp_like(coalesce(json_format(json_extract(requestparameters, '$.tags')), json_format(json_extract(requestparameters, '$.tagSpecificationSet')), ''), '[^\\[\\]{}]') AS tagged`,
    `array_join(regexp_extract_all(coalesce(requestparameters, ''), 'arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+'), ' ') AS passed_roles`,
    `CASE WHEN strpos(coalesce(tlsdetails.clientprovidedhostheader, ''), 's3-outposts') > 0 THEN tlsdetails.clientprovidedhostheader END AS host`,
  ];
  const keys = columns.map((_, i) => String(i + 1)).join(', ');
  return [
    `SELECT ${columns.join(',\n       ')},`,
    `       count(*) AS n, min(eventtime) AS first_seen, max(eventtime) AS last_seen`,
    `FROM ${table}`,
    `WHERE ${where.join('\n  AND ')}`,
    `GROUP BY ${keys}`,
  ].join('\n');
}

/** `CREATE EXTERNAL TABLE` for a trail's (or an organization trail's) S3 logs, with partition projection. */
export function buildDdl(o: { bucket: string; prefix?: string; orgId?: string; table: string; database: string; since: string }): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) throw new TailorError('bad-argument', `"${o.bucket}" is not an S3 bucket name`, { argument: '--bucket' });
  if (o.orgId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(o.orgId)) throw new TailorError('bad-argument', `"${o.orgId}" is not an organization id (o-…)`, { argument: '--org-id' });
  if (o.prefix !== undefined && !/^[A-Za-z0-9!_.*'()/-]*$/.test(o.prefix)) throw new TailorError('bad-argument', `"${o.prefix}" is not a plain S3 prefix`, { argument: '--prefix' });
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(o.since)) throw new TailorError('bad-argument', 'the projection start is YYYY/MM/DD', { argument: '--since' });
  const base = `s3://${o.bucket}/${o.prefix ? `${o.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/${o.orgId ? `${o.orgId}/` : ''}`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${quoteIdent(o.database, 'database')}.${quoteIdent(o.table, 'table')} (
  eventversion STRING,
  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING,
    sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, sourceidentity: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  managementevent BOOLEAN,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${base}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.account.type' = 'injected',
  'projection.region.type' = 'enum',
  'projection.region.values' = 'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-southeast-1,ap-southeast-2,ap-northeast-1,ap-northeast-2,ap-south-1,ca-central-1,sa-east-1',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = '${o.since},NOW',
  'storage.location.template' = '${base}\${account}/CloudTrail/\${region}/\${timestamp}'
);
`;
}
