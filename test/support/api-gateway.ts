/**
 * What API Gateway (REST, REQUEST authorizer) does around the authorizer: builds the event and
 * turns the authorizer's outcome into the status the client sees. The policy evaluation follows
 * API Gateway's rules, not a friendlier approximation: `*` in a resource matches any characters
 * including `/`, an explicit Deny wins, and no matching Allow means deny.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, PolicyDocument } from 'aws-lambda';
import type { InvocationOutcome } from './authorizer-process';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const API_ID = 'abc123';
export const STAGE = 'prod';

export interface RequestOptions {
  /** Default `GET`. */
  readonly method?: string;
  /** Resource template, e.g. `/items/{id}`. Default `/items/{id}`. */
  readonly resource?: string;
  /** Concrete path, e.g. `/items/42`. Default: `resource` with each `{param}` replaced by `42`. */
  readonly path?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The whole Authorization header value (overrides `token`). */
  readonly authorization?: string;
  /** Further headers; each value may be a list to send a header more than once. */
  readonly headers?: Record<string, string | string[]>;
  readonly stage?: string;
  readonly apiId?: string;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading /}`. */
export function methodArn(method: string, path: string, stage = STAGE, apiId = API_ID): string {
  return `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/** A concrete path for a resource template: `{id}` → `42`, `{proxy+}` → `a/b`. */
export function examplePath(resource: string): string {
  return resource.replace(/\{[^}]+\+\}/g, 'a/b').replace(/\{[^}]+\}/g, '42');
}

/** `requestContext.identity` of an anonymous caller on this machine, as API Gateway fills it in. */
export function callerIdentity(userAgent: string | null) {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: '127.0.0.1',
    user: null,
    userAgent,
    userArn: null,
  };
}

/** A REQUEST authorizer event as API Gateway sends it. */
export function requestEvent(options: RequestOptions = {}): APIGatewayRequestAuthorizerEvent {
  const method = options.method ?? 'GET';
  const resource = options.resource ?? '/items/{id}';
  const path = options.path ?? examplePath(resource);
  const stage = options.stage ?? STAGE;
  const apiId = options.apiId ?? API_ID;
  const given: Record<string, string | string[]> = { ...options.headers };
  const authorization = options.authorization ?? (options.token !== undefined ? `Bearer ${options.token}` : undefined);
  if (authorization !== undefined) given.Authorization = authorization;
  const multiValueHeaders: Record<string, string[]> = { Host: [`${apiId}.execute-api.${REGION}.amazonaws.com`] };
  for (const [name, value] of Object.entries(given)) multiValueHeaders[name] = Array.isArray(value) ? value : [value];
  // API Gateway's single-value view holds the last value of each header.
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([name, values]) => [name, values[values.length - 1]]));
  return {
    type: 'REQUEST',
    methodArn: methodArn(method, path, stage, apiId),
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId,
      httpMethod: method,
      path: `/${stage}${path}`,
      stage,
      resourcePath: resource,
      resourceId: 'res123',
      requestId: 'request-1',
      requestTimeEpoch: Date.now(),
      protocol: 'HTTP/1.1',
      authorizer: undefined,
      identity: callerIdentity('jest'),
    },
  } as APIGatewayRequestAuthorizerEvent;
}

/** How a policy could be read; API Gateway's documented reading is the default. */
export interface PolicyReading {
  /** Compare characters ignoring case (a reading no policy of ours may depend on). Default false. */
  readonly ignoreCase?: boolean;
}

/**
 * Whether an IAM-style resource pattern matches: `*` is any run of characters (`/` included), `?`
 * exactly one (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
export function resourceMatches(pattern: string, resource: string, reading: PolicyReading = {}): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, reading.ignoreCase ? 'si' : 's').test(resource);
}

function actionMatches(action: string): boolean {
  return ['execute-api:invoke', 'execute-api:*', '*'].includes(action.toLowerCase());
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new Error(`not a string or list of strings: ${JSON.stringify(value)}`);
}

/** API Gateway's decision for `methodArn` under `policy`. */
export function evaluatePolicy(policy: PolicyDocument, arn: string, reading: PolicyReading = {}): 'allow' | 'deny' {
  let allowed = false;
  for (const statement of policy.Statement) {
    const s = statement as unknown as Record<string, unknown>;
    if (!asList(s.Action).some(actionMatches)) continue;
    if (!asList(s.Resource).some((pattern) => resourceMatches(pattern, arn, reading))) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}

/** Why API Gateway could not use a result (it answers 500), or `undefined` when it can. */
export function resultProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return 'result is not an object';
  const r = result as Partial<APIGatewayAuthorizerResult> & Record<string, unknown>;
  if (typeof r.principalId !== 'string' || r.principalId.length === 0) return 'principalId is missing';
  const policy = r.policyDocument as unknown as Record<string, unknown> | undefined;
  if (typeof policy !== 'object' || policy === null) return 'policyDocument is missing';
  if (policy.Version !== '2012-10-17') return 'policyDocument.Version is not 2012-10-17';
  if (!Array.isArray(policy.Statement) || policy.Statement.length === 0) return 'policyDocument.Statement is empty';
  for (const statement of policy.Statement as Record<string, unknown>[]) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return 'a statement has no Effect';
    try {
      asList(statement.Action);
      asList(statement.Resource);
    } catch (e) {
      return `a statement is malformed: ${(e as Error).message}`;
    }
  }
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context)) return 'context is not an object';
    for (const [key, value] of Object.entries(r.context)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) return `context.${key} is not a string, number or boolean`;
    }
  }
  return undefined;
}

/**
 * The status API Gateway answers: a rejection with exactly `Unauthorized` is 401, any other
 * rejection or an unusable result 500; otherwise the policy decides, 200 or 403.
 */
export function statusFor(outcome: InvocationOutcome, arn: string): 200 | 401 | 403 | 500 {
  if ('error' in outcome) return outcome.error === 'Unauthorized' ? 401 : 500;
  if (resultProblem(outcome.ok) !== undefined) return 500;
  return evaluatePolicy(outcome.ok.policyDocument, arn) === 'allow' ? 200 : 403;
}
