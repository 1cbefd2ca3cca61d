import rules from './rules/observability.json' with { type: 'json' };
import type { Coverage } from '../profile/usage.js';

const DATA_EVENT_SOURCE = new Map<string, string>();
for (const [source, actions] of Object.entries(rules.dataEvents.actions)) for (const a of actions) DATA_EVENT_SOURCE.set(a.toLowerCase(), source);
const NEVER_LOGGED = new Set(rules.neverLogged.actions.map((a) => a.toLowerCase()));
const PERMISSION_ONLY = new Set(rules.permissionOnly.actions.map((a) => a.toLowerCase()));

/** Which data events the trail records, from `aws cloudtrail get-event-selectors` output. */
export interface TrailSelectors {
  /** Event sources whose data events the trail records. */
  readonly dataEventSources: readonly string[];
}

const SELECTOR_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Object': 's3.amazonaws.com',
  'AWS::Lambda::Function': 'lambda.amazonaws.com',
  'AWS::DynamoDB::Table': 'dynamodb.amazonaws.com',
  'AWS::DynamoDB::Stream': 'dynamodb.amazonaws.com',
  'AWS::SNS::Topic': 'sns.amazonaws.com',
  'AWS::SQS::Queue': 'sqs.amazonaws.com',
  'AWS::SES::EmailIdentity': 'ses.amazonaws.com',
  'AWS::CloudWatch::Metric': 'monitoring.amazonaws.com',
  'AWS::XRay::Trace': 'xray.amazonaws.com',
  'AWS::Kinesis::Stream': 'kinesis.amazonaws.com',
};

interface SelectorsFile {
  EventSelectors?: { DataResources?: { Type?: string }[] }[];
  AdvancedEventSelectors?: { FieldSelectors?: { Field?: string; Equals?: string[] }[] }[];
}

export function parseSelectors(v: SelectorsFile): TrailSelectors {
  const sources = new Set<string>();
  for (const s of v.EventSelectors ?? []) for (const r of s.DataResources ?? []) if (r.Type && SELECTOR_TYPES[r.Type]) sources.add(SELECTOR_TYPES[r.Type] as string);
  for (const s of v.AdvancedEventSelectors ?? []) {
    for (const f of s.FieldSelectors ?? []) if (f.Field === 'resources.type') for (const t of f.Equals ?? []) if (SELECTOR_TYPES[t]) sources.add(SELECTOR_TYPES[t] as string);
  }
  return { dataEventSources: [...sources].sort() };
}

type Kind = 'permission-only' | 'never-logged' | 'observable' | { readonly dataEventSource: string };

// Asked for every action of every role (a diff of 500 roles asks 200,000 times): the rule
// lookups are done once per action name.
const kinds = new Map<string, Kind>();

function kindOf(action: string): Kind {
  let kind = kinds.get(action);
  if (kind === undefined) {
    const a = action.toLowerCase();
    const source = DATA_EVENT_SOURCE.get(a);
    kind = PERMISSION_ONLY.has(a) ? 'permission-only' : NEVER_LOGGED.has(a) ? 'never-logged' : source ? { dataEventSource: source } : 'observable';
    kinds.set(action, kind);
  }
  return kind;
}

/** Why the source cannot have seen this action, or undefined when it could have. */
export function whyUnobservable(action: string, coverage: Coverage, selectors?: TrailSelectors): string | undefined {
  const kind = kindOf(action);
  if (kind === 'permission-only') return 'permission-only: no API call of its own ever appears in CloudTrail';
  if (kind === 'never-logged') return 'CloudTrail never logs this call';
  if (kind === 'observable') return undefined;
  const source = kind.dataEventSource;
  if (coverage.sources.includes('lookup-events')) return 'a data event: LookupEvents returns management events only';
  if (selectors) return selectors.dataEventSources.includes(source) ? undefined : `a data event the trail's event selectors do not record (${source})`;
  return coverage.dataEventSources.includes(source) ? undefined : `a data event, and the input has no ${source} data events: the trail likely does not record them (inferred)`;
}
