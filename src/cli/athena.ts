import { Command } from 'commander';
import { buildDdl } from '../ingest/athena-sql.js';
import { addAwsOptions, clientsFrom, type AwsFlags } from './aws-sources.js';
import { withExamples } from './common.js';
import type { RunContext } from './context.js';

interface DdlFlags extends AwsFlags {
  bucket: string;
  prefix?: string;
  orgId?: string;
  table: string;
  database: string;
  since: string;
  execute?: boolean;
  workgroup?: string;
  outputLocation?: string;
}

export function athenaCommand(_ctx: RunContext): Command {
  const athena = new Command('athena').description('set up Athena over a CloudTrail bucket');
  const ddl = new Command('ddl')
    .description('print (or with --execute run) CREATE EXTERNAL TABLE with partition projection for a trail or an organization trail')
    .requiredOption('--bucket <name>', 'the trail bucket')
    .option('--prefix <prefix>', 'the trail S3 key prefix, if any')
    .option('--org-id <o-…>', 'organization trail: the organization id in the S3 layout')
    .option('--database <name>', 'Glue database', 'default')
    .option('--table <name>', 'table name', 'cloudtrail_logs')
    .option('--since <yyyy/MM/dd>', 'first day of the projection range', '2024/01/01')
    .option('--execute', 'run the statement in Athena instead of printing it')
    .option('--workgroup <name>', 'Athena workgroup for --execute')
    .option('--output-location <s3-url>', 'query result location for --execute');
  addAwsOptions(ddl);
  withExamples(ddl, ['iam-tailor athena ddl --bucket my-trail-bucket', 'iam-tailor athena ddl --bucket org-trail --org-id o-abc123def4 --execute --workgroup primary']);
  ddl.action(async (flags: DdlFlags) => {
    const sql = buildDdl(flags);
    if (!flags.execute) {
      process.stdout.write(sql);
      return;
    }
    const { StartQueryExecutionCommand } = await import('@aws-sdk/client-athena');
    const r = await (await clientsFrom(flags)).athena().send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: flags.workgroup, ResultConfiguration: flags.outputLocation ? { OutputLocation: flags.outputLocation } : undefined }));
    process.stderr.write(`started query ${r.QueryExecutionId ?? '?'}\n`);
  });
  athena.addCommand(ddl);
  return athena;
}
