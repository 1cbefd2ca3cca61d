import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The one place SDK clients are made. Credentials come from the default provider chain (or
 * `profile`); the endpoint from `endpointUrl`, else the SDK's own AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE> variables, as with the AWS CLI. Adaptive retries absorb
 * throttling; the user agent names iam-tailor.
 */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly maxAttempts?: number;
}

export const USER_AGENT = 'iam-tailor/0.1.0';
export const DEFAULT_MAX_ATTEMPTS = 8;

function config(o: AwsOptions, region?: string) {
  return {
    region: region ?? o.region,
    profile: o.profile,
    endpoint: o.endpointUrl,
    retryMode: 'adaptive' as const,
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    customUserAgent: USER_AGENT,
  };
}

/** What the pipeline receives instead of constructing clients itself. */
export interface AwsClients {
  cloudTrail(region: string): CloudTrailClient;
  athena(): AthenaClient;
  iam(): IAMClient;
  lambda(): LambdaClient;
  /** The region the clients use when none is given (flag, environment or profile). */
  defaultRegion(): Promise<string>;
}

export function awsClients(o: AwsOptions): AwsClients {
  const trails = new Map<string, CloudTrailClient>();
  let athena: AthenaClient | undefined;
  let iam: IAMClient | undefined;
  let lambda: LambdaClient | undefined;
  return {
    cloudTrail(region) {
      let c = trails.get(region);
      if (!c) trails.set(region, (c = new CloudTrailClient(config(o, region))));
      return c;
    },
    athena: () => (athena ??= new AthenaClient(config(o))),
    // IAM is global: its endpoint lives in us-east-1 whatever the user's region.
    iam: () => (iam ??= new IAMClient(config(o, o.region ?? 'us-east-1'))),
    lambda: () => (lambda ??= new LambdaClient(config(o))),
    async defaultRegion() {
      const r = this.lambda().config.region;
      return typeof r === 'function' ? await r() : r;
    },
  };
}
