import { Command, Option } from 'commander';
import type { AwsClients } from '../aws/clients.js';
import { TailorError } from '../errors.js';
import type { Source } from '../ingest/source.js';
import type { CallFilter } from '../profile/filter.js';

export interface AwsFlags {
  source?: 'files' | 'cloudtrail' | 'athena';
  profile?: string;
  awsRegion?: string;
  endpointUrl?: string;
  regions?: string[];
  database?: string;
  table?: string;
  workgroup?: string;
  outputLocation?: string;
  partitions?: 'projection' | 'classic';
}

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** How to reach AWS, for every command that may. */
export function addAwsOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'AWS shared-config profile (default: the default credential chain)')
    .option('--aws-region <region>', 'AWS region for the clients (default: AWS_REGION or the profile)')
    .option('--endpoint-url <url>', 'send AWS requests here (an emulator); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> work too');
}

/** Where the events come from, besides files. */
export function addLiveSourceOptions(cmd: Command): Command {
  addAwsOptions(cmd);
  return cmd
    .addOption(new Option('--source <source>', 'files (the arguments), cloudtrail (LookupEvents: management events of the last 90 days) or athena (SQL over the CloudTrail table)').choices(['files', 'cloudtrail', 'athena']).default('files'))
    .option('--regions <list>', 'with --source cloudtrail: regions to read (default: the client region and us-east-1, where global services log)', list)
    .option('--database <name>', 'with --source athena: the Glue database of the CloudTrail table')
    .option('--table <name>', 'with --source athena: the CloudTrail table (see `iam-tailor athena ddl`)')
    .option('--workgroup <name>', 'with --source athena: the Athena workgroup')
    .option('--output-location <s3-url>', 'with --source athena: where Athena writes results (if the workgroup has none)')
    .addOption(new Option('--partitions <layout>', 'with --source athena: projection (iam-tailor athena ddl) or classic year/month/day partitions').choices(['projection', 'classic']).default('projection'));
}

/** AWS clients for the flags. The SDK is loaded only by commands that talk to AWS (startup cost). */
export async function clientsFrom(flags: AwsFlags & { region?: string[] }): Promise<AwsClients> {
  const { awsClients } = await import('../aws/clients.js');
  // One --region filter is also the natural region for the clients.
  const region = flags.awsRegion ?? (flags.region?.length === 1 ? flags.region[0] : undefined);
  return awsClients({ region, profile: flags.profile, endpointUrl: flags.endpointUrl });
}

const DAY = 86_400_000;

/** The live source the flags ask for, or undefined for files. */
export async function liveSource(flags: AwsFlags & { role?: string[] }, filter: CallFilter, onQueryDone: (text: string) => void, now = new Date()): Promise<Source | undefined> {
  if (!flags.source || flags.source === 'files') return undefined;
  if (flags.source === 'athena' && (!flags.database || !flags.table)) throw new TailorError('bad-argument', '--source athena needs --database and --table', { argument: '--source' });
  const clients = await clientsFrom(flags);
  const since = filter.since ?? new Date(now.getTime() - 90 * DAY);
  const until = filter.until ?? now;
  if (flags.source === 'cloudtrail') {
    const regions = flags.regions?.length ? flags.regions : [...new Set([await clients.defaultRegion(), 'us-east-1'])];
    const { LookupEventsSource } = await import('../ingest/lookup-events.js');
    return new LookupEventsSource((r) => clients.cloudTrail(r), { regions, since, until });
  }
  const roles = flags.role ?? [];
  for (const r of roles) {
    if (!r.startsWith('arn:') || /[*?]/.test(r)) throw new TailorError('bad-argument', `with --source athena, --role takes exact role ARNs ("${r}" is not one)`, { argument: '--role' });
  }
  const { AthenaSource } = await import('../ingest/athena.js');
  return new AthenaSource(clients.athena(), {
    database: flags.database as string,
    table: flags.table as string,
    since,
    until,
    partitions: flags.partitions ?? 'projection',
    roles,
    accounts: filter.accounts,
    regions: filter.regions,
    workgroup: flags.workgroup,
    outputLocation: flags.outputLocation,
    onQueryDone: (q) => onQueryDone(`athena: query ${q.queryId} scanned ${(q.bytesScanned / 1e6).toFixed(1)} MB in ${q.seconds.toFixed(1)} s`),
  });
}
