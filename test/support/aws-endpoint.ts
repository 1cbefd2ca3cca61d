/**
 * A local AWS endpoint for tests, speaking each service's real wire protocol so that the real
 * SDK clients (pointed here with AWS_ENDPOINT_URL) exercise serialization, pagination and
 * retries: CloudTrail and Athena JSON 1.1, IAM query/XML, Lambda REST-JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Request {
  readonly service: 'cloudtrail' | 'athena' | 'iam' | 'lambda' | 'unknown';
  readonly operation: string;
  readonly region: string;
  readonly body: Record<string, unknown>;
}

export interface AthenaScript {
  /** States GetQueryExecution reports, one per poll; the last one sticks. */
  readonly states: readonly ('QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED')[];
  readonly failure?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
  readonly pageSize: number;
  readonly bytesScanned?: number;
}

export interface EndpointState {
  /** region → CloudTrail records served by LookupEvents (as CloudTrailEvent strings). */
  lookupEvents: Record<string, unknown[]>;
  /** How many requests (any service) answer ThrottlingException before being served. */
  throttleFirst: number;
  athena?: AthenaScript;
  /** IAM: role name → inline policies (documents) and attached managed policy ARNs. */
  roles: Record<string, { arn: string; inline: Record<string, unknown>; attached: string[]; boundary?: string }>;
  managedPolicies: Record<string, unknown>;
  functions: Record<string, unknown>[];
  eventSourceMappings: Record<string, unknown[]>;
  /** function name → DestinationConfig (GetFunctionEventInvokeConfig) */
  destinations: Record<string, unknown>;
}

export class AwsEndpoint {
  readonly requests: Request[] = [];
  readonly state: EndpointState = { lookupEvents: {}, throttleFirst: 0, roles: {}, managedPolicies: {}, functions: [], eventSourceMappings: {}, destinations: {} };
  private server: Server | undefined;
  private polls = new Map<string, number>();
  private queries = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: Error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: e.message }));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** Environment for a CLI run against this endpoint. */
  env(): Record<string, string> {
    return { AWS_ENDPOINT_URL: this.url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const auth = String(req.headers.authorization ?? '');
    const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(auth)?.[1] ?? 'us-east-1';
    const target = String(req.headers['x-amz-target'] ?? '');
    const url = new URL(req.url ?? '/', this.url);
    let r: Request;
    if (target) {
      const operation = target.slice(target.lastIndexOf('.') + 1);
      r = { service: target.startsWith('AmazonAthena') ? 'athena' : 'cloudtrail', operation, region, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } else if (url.pathname.startsWith('/2015-03-31/') || url.pathname.startsWith('/2019-09-25/')) {
      r = { service: 'lambda', operation: `${req.method} ${url.pathname}`, region, body: Object.fromEntries(url.searchParams) };
    } else if (text.includes('Action=')) {
      const body = Object.fromEntries(new URLSearchParams(text));
      r = { service: 'iam', operation: String(body.Action), region, body };
    } else r = { service: 'unknown', operation: `${req.method} ${url.pathname}`, region, body: {} };
    this.requests.push(r);
    if (this.state.throttleFirst > 0) {
      this.state.throttleFirst--;
      return this.throttle(r, res);
    }
    if (r.service === 'cloudtrail') return this.json(res, this.cloudTrail(r));
    if (r.service === 'athena') return this.athena(r, res);
    if (r.service === 'iam') return this.xml(res, r.operation, this.iam(r));
    if (r.service === 'lambda') return this.lambda(url, res);
    res.writeHead(404);
    res.end();
  }

  private throttle(r: Request, res: ServerResponse): void {
    if (r.service === 'iam') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>`);
      return;
    }
    if (r.service === 'lambda') {
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
      res.end(JSON.stringify({ message: 'Rate exceeded', Type: 'User' }));
      return;
    }
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req' });
    res.end(JSON.stringify(body));
  }

  private cloudTrail(r: Request): unknown {
    const events = this.state.lookupEvents[r.region] ?? [];
    const start = Number(r.body.NextToken ?? 0);
    const size = Number(r.body.MaxResults ?? 50);
    const page = events.slice(start, start + size).map((e, i) => ({ EventId: `e-${start + i}`, CloudTrailEvent: JSON.stringify(e) }));
    return { Events: page, ...(start + size < events.length ? { NextToken: String(start + size) } : {}) };
  }

  private athena(r: Request, res: ServerResponse): void {
    const script = this.state.athena;
    if (r.operation === 'StartQueryExecution') return this.json(res, { QueryExecutionId: `q-${++this.queries}` });
    if (r.operation === 'StopQueryExecution') return this.json(res, {});
    const id = String(r.body.QueryExecutionId);
    if (!script) throw new Error('no athena script');
    if (r.operation === 'GetQueryExecution') {
      const n = this.polls.get(id) ?? 0;
      this.polls.set(id, n + 1);
      const state = script.states[Math.min(n, script.states.length - 1)];
      return this.json(res, {
        QueryExecution: { QueryExecutionId: id, Status: { State: state, ...(state === 'FAILED' ? { StateChangeReason: script.failure } : {}) }, Statistics: { DataScannedInBytes: script.bytesScanned ?? 0 } },
      });
    }
    if (r.operation === 'GetQueryResults') {
      const start = Number(r.body.NextToken ?? 0);
      const all = [script.header, ...script.rows];
      const page = all.slice(start, start + script.pageSize);
      return this.json(res, {
        ResultSet: { Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })), ResultSetMetadata: { ColumnInfo: script.header.map((h) => ({ Name: h, Type: 'varchar' })) } },
        ...(start + script.pageSize < all.length ? { NextToken: String(start + script.pageSize) } : {}),
      });
    }
    throw new Error(`athena ${r.operation}`);
  }

  private iam(r: Request): string {
    const role = this.state.roles[String(r.body.RoleName ?? '')];
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    switch (r.operation) {
      case 'GetRole':
        return `<Role><Arn>${esc(role?.arn ?? '')}</Arn><RoleName>${esc(String(r.body.RoleName))}</RoleName><Path>/</Path><RoleId>AROA</RoleId><CreateDate>2026-01-01T00:00:00Z</CreateDate>${role?.boundary ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${esc(role.boundary)}</PermissionsBoundaryArn></PermissionsBoundary>` : ''}</Role>`;
      case 'ListRolePolicies': {
        // Paginated one name per page, so Marker handling is exercised.
        const names = Object.keys(role?.inline ?? {});
        const i = Number(r.body.Marker ?? 0);
        const more = i + 1 < names.length;
        return `<PolicyNames>${names.slice(i, i + 1).map((n) => `<member>${esc(n)}</member>`).join('')}</PolicyNames><IsTruncated>${more}</IsTruncated>${more ? `<Marker>${i + 1}</Marker>` : ''}`;
      }
      case 'GetRolePolicy':
        return `<RoleName>${esc(String(r.body.RoleName))}</RoleName><PolicyName>${esc(String(r.body.PolicyName))}</PolicyName><PolicyDocument>${esc(encodeURIComponent(JSON.stringify(role?.inline[String(r.body.PolicyName)])))}</PolicyDocument>`;
      case 'ListAttachedRolePolicies':
        return `<AttachedPolicies>${(role?.attached ?? []).map((a) => `<member><PolicyArn>${esc(a)}</PolicyArn><PolicyName>${esc(a.split('/').pop() ?? '')}</PolicyName></member>`).join('')}</AttachedPolicies><IsTruncated>false</IsTruncated>`;
      case 'GetPolicy':
        return `<Policy><Arn>${esc(String(r.body.PolicyArn))}</Arn><DefaultVersionId>v3</DefaultVersionId></Policy>`;
      case 'GetPolicyVersion':
        return `<PolicyVersion><VersionId>${esc(String(r.body.VersionId))}</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>${esc(encodeURIComponent(JSON.stringify(this.state.managedPolicies[String(r.body.PolicyArn)])))}</Document></PolicyVersion>`;
      default:
        throw new Error(`iam ${r.operation}`);
    }
  }

  private xml(res: ServerResponse, operation: string, inner: string): void {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<${operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></${operation}Response>`);
  }

  private lambda(url: URL, res: ServerResponse): void {
    const send = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = url.pathname;
    if (path === '/2015-03-31/functions/' || path === '/2015-03-31/functions') {
      const start = Number(url.searchParams.get('Marker') ?? 0);
      const size = 2; // small pages: pagination is exercised
      const page = this.state.functions.slice(start, start + size);
      return send({ Functions: page, ...(start + size < this.state.functions.length ? { NextMarker: String(start + size) } : {}) });
    }
    const cfg = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/.exec(path);
    if (cfg) return send(this.state.functions.find((f) => f.FunctionName === decodeURIComponent(cfg[1] as string)) ?? {});
    if (path.startsWith('/2015-03-31/event-source-mappings')) return send({ EventSourceMappings: this.state.eventSourceMappings[url.searchParams.get('FunctionName') ?? ''] ?? [] });
    const invoke = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/.exec(path);
    if (invoke) {
      const d = this.state.destinations[decodeURIComponent(invoke[1] as string)];
      if (d) return send({ DestinationConfig: d });
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', Message: 'The function has no event invoke config' }));
      return;
    }
    res.writeHead(404);
    res.end();
  }
}
