/**
 * A Lambda function's configuration as `aws lambda get-function-configuration` prints it (the
 * fields iam-tailor reads), optionally with its event source mappings and destinations. Kept in
 * the Usage so that later steps know what Lambda needs on the function's behalf.
 */
export interface FunctionConfig {
  readonly FunctionName: string;
  readonly FunctionArn?: string;
  readonly Role: string;
  readonly VpcConfig?: { readonly SubnetIds?: readonly string[] };
  readonly TracingConfig?: { readonly Mode?: string };
  readonly DeadLetterConfig?: { readonly TargetArn?: string };
  readonly KMSKeyArn?: string;
  readonly FileSystemConfigs?: readonly { readonly Arn: string }[];
  readonly LoggingConfig?: { readonly LogGroup?: string };
  readonly EventSourceMappings?: readonly { readonly EventSourceArn?: string }[];
  readonly DestinationConfig?: { readonly OnSuccess?: { readonly Destination?: string }; readonly OnFailure?: { readonly Destination?: string } };
}

