/** The parts of iam-tailor that read from AWS: event sources, current policies, function configurations. */
export { awsClients, type AwsClients, type AwsOptions } from './clients.js';
export { LookupEventsSource, type LookupEventsOptions } from '../ingest/lookup-events.js';
export { AthenaSource, type AthenaSourceOptions } from '../ingest/athena.js';
export { currentFromIam } from '../compare/current-iam.js';
export { functionConfig, listFunctionRoles, type FunctionRole } from '../compare/functions-lambda.js';
