import table from './rules/apigateway-operations.json' with { type: 'json' };
import type { Call } from './call.js';
import { escapeResourceName as esc } from './escape.js';

interface Operation {
  readonly method: string;
  readonly path: string;
}
const OPERATIONS: Readonly<Record<string, { v1?: Operation; v2?: Operation }>> = table.operations;

// Path segment → the request parameter that fills the `*` after it.
const PATH_PARAMS: Readonly<Record<string, string>> = {
  restapis: 'restApiId',
  apis: 'apiId',
  resources: 'resourceId',
  methods: 'httpMethod',
  stages: 'stageName',
  deployments: 'deploymentId',
  authorizers: 'authorizerId',
  models: 'modelName',
  routes: 'routeId',
  integrations: 'integrationId',
  domainnames: 'domainName',
  apikeys: 'apiKey',
  usageplans: 'usagePlanId',
  vpclinks: 'vpcLinkId',
  requestvalidators: 'requestValidatorId',
  clientcertificates: 'clientCertificateId',
  documentation: 'documentationPartId',
};

export interface ApiGatewayNeed {
  readonly action: string;
  readonly resource: string;
  readonly version: 'v1' | 'v2';
}

/**
 * API Gateway's management API is authorized by HTTP method on the request path:
 * `apigateway:<METHOD>` on `arn:<partition>:apigateway:<region>::<path>`. V2 (HTTP/WebSocket)
 * requests name `apiId`, V1 (REST) ones `restApiId`.
 */
export function apiGatewayNeed(call: Call, eventName: string): ApiGatewayNeed | undefined {
  const op = OPERATIONS[eventName];
  if (!op) return undefined;
  const params = call.requestParameters ?? {};
  const version = op.v1 && op.v2 ? ('apiId' in params ? 'v2' : 'v1') : op.v2 ? 'v2' : 'v1';
  const chosen = op[version];
  if (!chosen) return undefined;
  const segments = chosen.path.split('/');
  const filled = segments.map((seg, i) => {
    if (seg !== '*') return seg;
    const name = PATH_PARAMS[segments[i - 1] ?? ''];
    const value = name ? params[name] : undefined;
    return typeof value === 'string' && value.length > 0 && !value.includes('/') ? esc(value) : '*';
  });
  return {
    action: `apigateway:${chosen.method}`,
    resource: `arn:${call.partition}:apigateway:${call.region}::${filled.join('/')}`,
    version,
  };
}
