/**
 * The events API Gateway (REST) sends: the REQUEST authorizer event and the Lambda proxy event
 * (payload format 1.0), built from a request and the method it matched.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import { randomUUID } from 'crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { callerIdentity } from './caller-identity';
import { ACCOUNT, methodArn } from './policy';
import type { TemplateMethod } from './template-api';

/** The API id the local gateway uses in method ARNs and events. */
export const LOCAL_API_ID = 'local000001';

export interface GatewayRequest {
  readonly method: string;
  /** The path after the stage, e.g. `/colors/red`. */
  readonly path: string;
  /** Header values; a list sends the header more than once. */
  readonly headers?: Record<string, string | string[]>;
  readonly query?: Record<string, string | string[]>;
  readonly body?: string;
}

/** The method a request matched, with its path parameters. */
export interface Match {
  readonly method: TemplateMethod;
  readonly pathParameters: Record<string, string> | null;
}

export function multiValue(values: Record<string, string | string[]> | undefined): Record<string, string[]> | null {
  if (!values || Object.keys(values).length === 0) return null;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

function singleValue(values: Record<string, string[]> | null): Record<string, string> | null {
  // API Gateway's single-value view holds the last value of each name.
  return values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[v.length - 1]]));
}

export function headerValue(request: GatewayRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!entry) return undefined;
  const value = entry[1];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** The value of one identity source for this request; `undefined` when absent. */
export function identityValue(source: string, method: string, request: GatewayRequest, match: Match, stage: string): string | undefined {
  const header = /^method\.request\.header\.(.+)$/.exec(source);
  if (header) return headerValue(request, header[1]);
  const query = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (query) {
    const value = request.query?.[query[1]];
    return Array.isArray(value) ? value[value.length - 1] : value;
  }
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const values: Record<string, string> = { httpMethod: method, resourcePath: match.method.resourcePath, stage, path: `/${stage}${request.path}` };
    return values[context[1]];
  }
  throw new Error(`identity source ${source} is not simulated`);
}

function domainNameOf(request: GatewayRequest): { domainName?: string } {
  const host = headerValue(request, 'host');
  return host === undefined ? {} : { domainName: host };
}

function requestContext(method: string, request: GatewayRequest, match: Match, stage: string) {
  return {
    accountId: ACCOUNT,
    apiId: LOCAL_API_ID,
    httpMethod: method,
    path: `/${stage}${request.path}`,
    // The host the client called, as API Gateway reports it (a DPoP proof's htu names it).
    ...domainNameOf(request),
    stage,
    resourcePath: match.method.resourcePath,
    resourceId: match.method.logicalId,
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
    protocol: 'HTTP/1.1',
    identity: callerIdentity(headerValue(request, 'user-agent') ?? null),
  };
}

/** The REQUEST authorizer event API Gateway sends. */
export function authorizerEvent(method: string, request: GatewayRequest, match: Match, stage: string): APIGatewayRequestAuthorizerEvent {
  const multiValueHeaders = multiValue(request.headers) ?? {};
  const multiValueQueryStringParameters = multiValue(request.query);
  return {
    type: 'REQUEST',
    methodArn: methodArn(method, request.path, stage, LOCAL_API_ID),
    resource: match.method.resourcePath,
    path: request.path,
    httpMethod: method,
    headers: singleValue(multiValueHeaders) ?? {},
    multiValueHeaders,
    pathParameters: match.pathParameters,
    queryStringParameters: singleValue(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    stageVariables: null,
    requestContext: { ...requestContext(method, request, match, stage), authorizer: undefined },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** The Lambda proxy event: the authorizer's principal and context under `requestContext.authorizer`. */
export function proxyEvent(method: string, request: GatewayRequest, match: Match, stage: string, auth: APIGatewayAuthorizerResult | undefined) {
  const multiValueHeaders = multiValue(request.headers);
  const multiValueQueryStringParameters = multiValue(request.query);
  const authorizer = auth === undefined ? undefined : {
    principalId: auth.principalId,
    // A REST API hands context values to a proxy integration as strings.
    ...Object.fromEntries(Object.entries(auth.context ?? {}).map(([k, v]) => [k, String(v)])),
    integrationLatency: 0,
  };
  return {
    resource: match.method.resourcePath,
    path: request.path,
    httpMethod: method,
    headers: singleValue(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: singleValue(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    pathParameters: match.pathParameters,
    stageVariables: null,
    requestContext: { ...requestContext(method, request, match, stage), authorizer },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}

/** The Lambda proxy event a backend receives. */
export type ProxyEvent = ReturnType<typeof proxyEvent>;
