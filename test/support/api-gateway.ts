/**
 * What API Gateway (REST, REQUEST authorizer) does around the authorizer: builds the event and
 * turns the authorizer's outcome into the status the client sees. The policy evaluation follows
 * API Gateway's rules, not a friendlier approximation: `*` in a resource matches any characters
 * including `/`, an explicit Deny wins, and no matching Allow means deny.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { InvocationOutcome } from './authorizer-process';
import { callerIdentity } from '../../local/rest-api/caller-identity';
import { ACCOUNT, REGION, evaluatePolicy, methodArn as localMethodArn, resultProblem } from '../../local/rest-api/policy';

export { ACCOUNT, REGION, evaluatePolicy, resourceMatches, resultProblem, type PolicyReading } from '../../local/rest-api/policy';
export { callerIdentity } from '../../local/rest-api/caller-identity';
export const API_ID = 'abc123';
export const STAGE = 'prod';

/** The URL a client calls for `path` on the execute-api host: what a DPoP proof's `htu` says. */
export function executeApiUrl(path: string, stage = STAGE, apiId = API_ID): string {
  return `https://${apiId}.execute-api.${REGION}.amazonaws.com/${stage}${path}`;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading /}`. */
export function methodArn(method: string, path: string, stage = STAGE, apiId = API_ID): string {
  return localMethodArn(method, path, stage, apiId);
}

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
  /** `requestContext.domainName` (a custom domain); default: none, the Host header tells. */
  readonly domainName?: string;
  /** `requestContext.path`, the path as the client called it; default `/{stage}{path}`. */
  readonly contextPath?: string;
}

/** A concrete path for a resource template: `{id}` → `42`, `{proxy+}` → `a/b`. */
export function examplePath(resource: string): string {
  return resource.replace(/\{[^}]+\+\}/g, 'a/b').replace(/\{[^}]+\}/g, '42');
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
      path: options.contextPath ?? `/${stage}${path}`,
      ...(options.domainName === undefined ? {} : { domainName: options.domainName }),
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

/**
 * The status API Gateway answers: a rejection with exactly `Unauthorized` is 401, any other
 * rejection or an unusable result 500; otherwise the policy decides, 200 or 403.
 */
export function statusFor(outcome: InvocationOutcome, arn: string): 200 | 401 | 403 | 500 {
  if ('error' in outcome) return outcome.error === 'Unauthorized' ? 401 : 500;
  if (resultProblem(outcome.ok) !== undefined) return 500;
  return evaluatePolicy(outcome.ok.policyDocument, arn) === 'allow' ? 200 : 403;
}
