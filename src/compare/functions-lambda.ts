import { GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, ListEventSourceMappingsCommand, ListFunctionsCommand, ResourceNotFoundException, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionConfig } from './platform.js';

export interface FunctionRole {
  readonly functionName: string;
  readonly functionArn: string;
  readonly role: string;
}

/** Every function of the region with its execution role (ListFunctions, all pages). */
export async function listFunctionRoles(lambda: LambdaClient): Promise<FunctionRole[]> {
  const out: FunctionRole[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 }));
    for (const f of page.Functions ?? []) if (f.FunctionName && f.Role) out.push({ functionName: f.FunctionName, functionArn: f.FunctionArn ?? '', role: f.Role });
    marker = page.NextMarker;
  } while (marker);
  return out.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : a.functionName < b.functionName ? -1 : 1));
}

/** A function's configuration with its event source mappings and destinations, for platform permissions. */
export async function functionConfig(lambda: LambdaClient, name: string): Promise<FunctionConfig> {
  const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const mappings: { EventSourceArn?: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name, Marker: marker }));
    for (const m of page.EventSourceMappings ?? []) mappings.push({ EventSourceArn: m.EventSourceArn });
    marker = page.NextMarker;
  } while (marker);
  // Asynchronous invocation destinations: absent (404) for most functions.
  let destinations: FunctionConfig['DestinationConfig'];
  try {
    const d = (await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }))).DestinationConfig;
    destinations = d ? { OnSuccess: { Destination: d.OnSuccess?.Destination }, OnFailure: { Destination: d.OnFailure?.Destination } } : undefined;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  return {
    FunctionName: c.FunctionName ?? name,
    DestinationConfig: destinations,
    FunctionArn: c.FunctionArn,
    Role: c.Role ?? '',
    VpcConfig: c.VpcConfig ? { SubnetIds: c.VpcConfig.SubnetIds } : undefined,
    TracingConfig: c.TracingConfig ? { Mode: c.TracingConfig.Mode } : undefined,
    DeadLetterConfig: c.DeadLetterConfig ? { TargetArn: c.DeadLetterConfig.TargetArn } : undefined,
    KMSKeyArn: c.KMSKeyArn,
    FileSystemConfigs: c.FileSystemConfigs?.flatMap((f) => (f.Arn ? [{ Arn: f.Arn }] : [])),
    LoggingConfig: c.LoggingConfig ? { LogGroup: c.LoggingConfig.LogGroup } : undefined,
    EventSourceMappings: mappings,
  };
}
