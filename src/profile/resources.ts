import type { Call } from './call.js';
import type { CatalogAction, CatalogResourceType } from './catalog.js';
import { escapeResourceName as esc } from './escape.js';

/** A resource the record names, typed with the catalog's resource type key. */
export interface Candidate {
  readonly key: string;
  /** IAM resource string: literal `*`, `?`, `$` already escaped. */
  readonly arn: string;
}

// CloudTrail `resources[].type` → catalog resource type key.
const RECORD_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Object': 'object',
  'AWS::S3::Bucket': 'bucket',
  'AWS::S3::AccessPoint': 'accesspoint',
  'AWS::DynamoDB::Table': 'table',
  'AWS::DynamoDB::Stream': 'stream',
  'AWS::SQS::Queue': 'queue',
  'AWS::SNS::Topic': 'topic',
  'AWS::KMS::Key': 'key',
  'AWS::Lambda::Function': 'function',
  'AWS::IAM::Role': 'role',
  'AWS::Kinesis::Stream': 'stream',
  'AWS::SES::EmailIdentity': 'identity',
  'AWS::SES::Template': 'template',
  'AWS::SES::ConfigurationSet': 'configuration-set',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::SSM::Parameter': 'parameter',
  'AWS::StepFunctions::StateMachine': 'statemachine',
  'AWS::Events::EventBus': 'event-bus',
  'AWS::Logs::LogGroup': 'log-group',
  'AWS::ECR::Repository': 'repository',
};

interface Ctx {
  readonly p: string; // partition
  readonly region: string;
  readonly account: string;
  readonly params: Readonly<Record<string, unknown>>;
}

type Extractor = (c: Ctx) => Candidate[];

const s = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const o = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const isArn = (v: string): boolean => v.startsWith('arn:');

function s3Object(bucket: string, key: string, p = 'aws'): Candidate {
  return { key: 'object', arn: `arn:${p}:s3:::${esc(bucket)}/${esc(key)}` };
}

/** `bucket/key?versionId=…` (optionally URL-encoded, optionally with a leading slash). */
export function parseCopySource(v: string): { bucket: string; key: string } | undefined {
  let text = v;
  try {
    text = decodeURIComponent(v);
  } catch {
    // keep the raw text: a malformed escape is still a name
  }
  text = text.replace(/^\//, '').replace(/\?versionId=.*$/, '');
  const i = text.indexOf('/');
  if (i <= 0 || i === text.length - 1) return undefined;
  return { bucket: text.slice(0, i), key: text.slice(i + 1) };
}

/** SQS queue URL → queue ARN: `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
export function queueUrlToArn(url: string, p: string, fallbackRegion: string): string | undefined {
  const m = /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.[^/]+|([a-z0-9-]+)\.queue\.[^/]+|[^/]+)\/(\d{12})\/([^/?#]+)$/.exec(url);
  if (!m) return undefined;
  const region = m[1] ?? m[2] ?? fallbackRegion;
  return `arn:${p}:sqs:${region}:${m[3]}:${esc(m[4] as string)}`;
}

/** Lambda accepts a name, a partial ARN (`123:function:name`) or a full ARN, each optionally qualified. */
export function lambdaFunctionArn(ref: string, c: { p: string; region: string; account: string }, qualifier?: string): string {
  let region = c.region;
  let account = c.account;
  let rest = ref;
  const full = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:(.+)$/.exec(ref);
  const partial = /^(\d{12}):function:(.+)$/.exec(ref);
  if (full) [region, account, rest] = [full[1] as string, full[2] as string, full[3] as string];
  else if (partial) [account, rest] = [partial[1] as string, partial[2] as string];
  const [name, q] = rest.split(':');
  const qual = q ?? qualifier;
  return `arn:${c.p}:lambda:${region}:${account}:function:${esc(name as string)}${qual ? `:${esc(qual)}` : ''}`;
}

const regional = (c: Ctx, svc: string, rest: string): string => `arn:${c.p}:${svc}:${c.region}:${c.account}:${rest}`;

function tableCandidates(c: Ctx, name: string | undefined): Candidate[] {
  if (!name) return [];
  if (isArn(name)) return [{ key: 'table', arn: esc(name) }];
  return [{ key: 'table', arn: regional(c, 'dynamodb', `table/${esc(name)}`) }];
}

/** Table names named anywhere a DynamoDB request can name one. */
function dynamodbTables(c: Ctx): Candidate[] {
  const out: Candidate[] = [];
  out.push(...tableCandidates(c, s(c.params.tableName) ?? s(c.params.tableArn) ?? s(c.params.resourceArn)));
  for (const t of Object.keys(o(c.params.requestItems))) out.push(...tableCandidates(c, t));
  for (const item of arr(c.params.transactItems)) {
    for (const part of Object.values(o(item))) out.push(...tableCandidates(c, s(o(part).tableName)));
  }
  return out;
}

// Per service, how request parameters name resources (CloudTrail spells members lowerCamelCase).
const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  s3: (c) => {
    const bucket = s(c.params.bucketName);
    const out: Candidate[] = [];
    if (bucket) {
      out.push({ key: 'bucket', arn: `arn:${c.p}:s3:::${esc(bucket)}` });
      const key = s(c.params.key);
      if (key) out.push(s3Object(bucket, key, c.p));
    }
    return out;
  },
  dynamodb: (c) => {
    const table = s(c.params.tableName);
    const index = s(c.params.indexName);
    const out = dynamodbTables(c);
    if (table && index && !isArn(table)) out.push({ key: 'index', arn: regional(c, 'dynamodb', `table/${esc(table)}/index/${esc(index)}`) });
    const stream = s(c.params.streamArn);
    if (stream) out.push({ key: 'stream', arn: esc(stream) });
    return out;
  },
  sqs: (c) => {
    const url = s(c.params.queueUrl);
    const arn = url ? queueUrlToArn(url, c.p, c.region) : undefined;
    if (arn) return [{ key: 'queue', arn }];
    const name = s(c.params.queueName);
    return name ? [{ key: 'queue', arn: regional(c, 'sqs', esc(name)) }] : [];
  },
  sns: (c) => {
    const out: Candidate[] = [];
    for (const k of ['topicArn', 'targetArn', 'resourceArn']) {
      const v = s(c.params[k]);
      if (v && isArn(v)) out.push({ key: 'topic', arn: esc(v) });
    }
    const name = s(c.params.name);
    if (name && !out.length) out.push({ key: 'topic', arn: regional(c, 'sns', esc(name)) });
    return out;
  },
  kms: (c) => {
    const out: Candidate[] = [];
    for (const k of ['keyId', 'sourceKeyId', 'destinationKeyId', 'targetKeyId', 'aliasName']) {
      const v = s(c.params[k]);
      if (!v) continue;
      if (isArn(v)) out.push({ key: v.includes(':alias/') ? 'alias' : 'key', arn: esc(v) });
      else if (v.startsWith('alias/')) out.push({ key: 'alias', arn: regional(c, 'kms', esc(v)) });
      else out.push({ key: 'key', arn: regional(c, 'kms', `key/${esc(v)}`) });
    }
    return out;
  },
  secretsmanager: (c) => {
    const id = s(c.params.secretId) ?? s(c.params.name);
    if (!id) return [];
    // A secret named without its ARN is matched by the six random characters AWS appends.
    if (isArn(id)) return [{ key: 'secret', arn: esc(id) }];
    return [{ key: 'secret', arn: regional(c, 'secretsmanager', `secret:${esc(id)}-??????`) }];
  },
  ssm: (c) => {
    const names = [s(c.params.name), s(c.params.path), ...arr(c.params.names).map(s)].filter((x): x is string => Boolean(x));
    return names.map((n) => ({
      key: 'parameter',
      arn: isArn(n) ? esc(n) : regional(c, 'ssm', `parameter/${esc(n.replace(/^\/+/, '').replace(/\/+$/, ''))}`),
    }));
  },
  lambda: (c) => {
    const fn = s(c.params.functionName);
    if (!fn) return [];
    return [{ key: 'function', arn: lambdaFunctionArn(fn, c, s(c.params.qualifier)) }];
  },
  states: (c) => {
    const out: Candidate[] = [];
    const sm = s(c.params.stateMachineArn);
    if (sm) out.push({ key: 'statemachine', arn: esc(sm) });
    const ex = s(c.params.executionArn);
    if (ex) out.push({ key: 'execution', arn: esc(ex) });
    return out;
  },
  events: (c) => {
    const buses = new Set<string>();
    for (const e of arr(c.params.entries)) buses.add(s(o(e).eventBusName) ?? 'default');
    const bus = s(c.params.eventBusName);
    if (bus) buses.add(bus);
    const out: Candidate[] = [...buses].map((b) => ({ key: 'event-bus', arn: isArn(b) ? esc(b) : regional(c, 'events', `event-bus/${esc(b)}`) }));
    const rule = s(c.params.name) ?? s(c.params.rule);
    if (rule) {
      const custom = bus && bus !== 'default' && !isArn(bus);
      out.push({ key: custom ? 'rule-on-custom-event-bus' : 'rule-on-default-event-bus', arn: regional(c, 'events', `rule/${custom ? `${esc(bus)}/` : ''}${esc(rule)}`) });
    }
    return out;
  },
  kinesis: (c) => {
    const arn = s(c.params.streamARN) ?? s(c.params.streamArn);
    if (arn) return [{ key: 'stream', arn: esc(arn) }];
    const name = s(c.params.streamName);
    return name ? [{ key: 'stream', arn: regional(c, 'kinesis', `stream/${esc(name)}`) }] : [];
  },
  logs: (c) => {
    const group = s(c.params.logGroupName);
    if (!group) return [];
    const out: Candidate[] = [{ key: 'log-group', arn: regional(c, 'logs', `log-group:${esc(group)}`) }];
    const stream = s(c.params.logStreamName);
    out.push({ key: 'log-stream', arn: regional(c, 'logs', `log-group:${esc(group)}:log-stream:${stream ? esc(stream) : '*'}`) });
    return out;
  },
  sts: (c) => {
    const role = s(c.params.roleArn);
    return role ? [{ key: 'role', arn: esc(role) }] : [];
  },
  iam: (c) => {
    const out: Candidate[] = [];
    const g = (k: string, type: string, path: string): void => {
      const v = s(c.params[k]);
      if (v) out.push({ key: type, arn: `arn:${c.p}:iam::${c.account}:${path}/${esc(v)}` });
    };
    g('roleName', 'role', 'role');
    g('userName', 'user', 'user');
    g('groupName', 'group', 'group');
    g('instanceProfileName', 'instance-profile', 'instance-profile');
    const policy = s(c.params.policyArn);
    if (policy) out.push({ key: 'policy', arn: esc(policy) });
    return out;
  },
  ecr: (c) => {
    const name = s(c.params.repositoryName);
    return name ? [{ key: 'repository', arn: regional(c, 'ecr', `repository/${esc(name)}`) }] : [];
  },
  ecs: (c) => {
    const out: Candidate[] = [];
    const cluster = s(c.params.cluster) ?? 'default';
    out.push({ key: 'cluster', arn: isArn(cluster) ? esc(cluster) : regional(c, 'ecs', `cluster/${esc(cluster)}`) });
    const td = s(c.params.taskDefinition);
    if (td) out.push({ key: 'task-definition', arn: isArn(td) ? esc(td) : regional(c, 'ecs', `task-definition/${esc(td)}${td.includes(':') ? '' : ':*'}`) });
    const svc = s(c.params.service);
    if (svc) out.push({ key: 'service', arn: isArn(svc) ? esc(svc) : regional(c, 'ecs', `service/${esc(cluster)}/${esc(svc)}`) });
    return out;
  },
  athena: (c) => {
    const wg = s(c.params.workGroup) ?? 'primary';
    const out: Candidate[] = [{ key: 'workgroup', arn: regional(c, 'athena', `workgroup/${esc(wg)}`) }];
    const catalog = s(c.params.catalogName) ?? s(o(c.params.queryExecutionContext).catalog);
    if (catalog) out.push({ key: 'datacatalog', arn: regional(c, 'athena', `datacatalog/${esc(catalog)}`) });
    return out;
  },
  glue: (c) => {
    const out: Candidate[] = [{ key: 'catalog', arn: regional(c, 'glue', 'catalog') }];
    const db = s(c.params.databaseName) ?? s(c.params.name);
    if (db) out.push({ key: 'database', arn: regional(c, 'glue', `database/${esc(db)}`) });
    const table = s(c.params.tableName);
    if (db && table) out.push({ key: 'table', arn: regional(c, 'glue', `table/${esc(db)}/${esc(table)}`) });
    return out;
  },
  ses: (c) => {
    const from = s(c.params.fromEmailAddress) ?? s(c.params.source);
    if (!from) return [];
    const domain = from.includes('@') ? from.slice(from.lastIndexOf('@') + 1).replace(/>$/, '') : from;
    return [{ key: 'identity', arn: regional(c, 'ses', `identity/${esc(domain)}`) }];
  },
};

/** Candidates from the record's `resources[]`, typed; ARNPrefix entries are kept as prefixes. */
function recordCandidates(call: Call, catalogTypes: readonly CatalogResourceType[]): Candidate[] {
  const out: Candidate[] = [];
  for (const r of call.resources) {
    const key = (r.type && RECORD_TYPES[r.type]) ?? (r.arn ? classify(r.arn, catalogTypes) : undefined);
    if (!key) continue;
    if (r.arn) out.push({ key, arn: esc(r.arn) });
    else if (r.arnPrefix) out.push({ key, arn: `${esc(r.arnPrefix)}*` });
  }
  return out;
}

/** Names the resource type of an ARN by the action's own ARN templates. */
function classify(arn: string, types: readonly CatalogResourceType[]): string | undefined {
  for (const t of types) if (templateRegex(t.arn).test(arn)) return t.key;
  return undefined;
}

const regexCache = new Map<string, RegExp>();
function templateRegex(template: string): RegExp {
  let re = regexCache.get(template);
  if (!re) {
    const parts = template.split(/(\$\{[^}]+\})/);
    const last = parts.length - 2;
    re = new RegExp(
      `^${parts
        .map((part, i) => (i % 2 === 0 ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : i === last && /\/$/.test(parts[i - 1] ?? '') ? '.+' : '[^:/]+'))
        .join('')}$`,
    );
    regexCache.set(template, re);
  }
  return re;
}

/** All resources the call names, typed. Computed once per call, shared by its actions. */
export function callCandidates(call: Call, prefix: string, catalogTypes: readonly CatalogResourceType[]): Candidate[] {
  const ctx: Ctx = { p: call.partition, region: call.region, account: call.account, params: call.requestParameters ?? {} };
  const fromParams = EXTRACTORS[prefix]?.(ctx) ?? [];
  const fromRecord = recordCandidates(call, catalogTypes);
  // An object reached through an access point is authorized on `accesspoint/<name>/object/<key>`.
  const key = typeof ctx.params.key === 'string' ? ctx.params.key : undefined;
  if (prefix === 's3' && key) {
    for (const ap of fromRecord.filter((x) => x.key === 'accesspoint')) fromParams.push({ key: 'accesspointobject', arn: `${ap.arn}/object/${esc(key)}` });
  }
  // A DynamoDB query on an index is authorized on the index, though resources[] names the table.
  if (prefix === 'dynamodb' && fromParams.some((x) => x.key === 'index')) {
    return fromParams.filter((x) => x.key !== 'table');
  }
  // Duplicates are harmless: resourcesFor keeps each ARN once.
  return fromRecord.length ? (fromParams.length ? fromRecord.concat(fromParams) : fromRecord) : fromParams;
}

/**
 * The narrowest honest resources for one action of a call: the named resources of the action's
 * types; else, for an action that needs a resource, its ARN template scoped to the call's
 * partition, region and account; `*` only where the action supports no resource type (or the
 * call named none of its optional ones).
 */
export function resourcesFor(action: CatalogAction, candidates: readonly Candidate[], call: Call, keys: ReadonlySet<string>): string[] {
  if (action.resourceTypes.length === 0) return ['*'];
  const named: string[] = [];
  for (const c of candidates) if (keys.has(c.key) && !named.includes(c.arn)) named.push(c.arn);
  if (named.length) return named.length > 1 ? named.sort() : named;
  const required = action.resourceTypes.find((t) => t.required);
  if (!required) return ['*'];
  return [fillTemplate(required.arn, call)];
}

export function fillTemplate(template: string, call: Pick<Call, 'partition' | 'region' | 'account'>): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return call.partition;
    if (name === 'Region') return call.region;
    if (name === 'Account') return call.account;
    return '*';
  });
}
