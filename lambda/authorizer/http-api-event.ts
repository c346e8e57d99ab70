/**
 * Reading an HTTP API Lambda authorizer event, payload format 2.0. Its shape is documented in
 * "Control access to HTTP APIs with AWS Lambda authorizers", section "Payload format version"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * `version: "2.0"`, `type: "REQUEST"`, `routeKey` (the key of the route API Gateway matched, or
 * `$default`), `routeArn`, and `headers` as one string per name.
 */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { Refusal } from './refusal';
import { authorizationOf, headerLabel, type Authorization } from './token';

/** Whether `event` is a payload format 2.0 event, which the HTTP API handler decides. */
export function isHttpApiEvent(event: unknown): event is APIGatewayRequestAuthorizerEventV2 {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return e.version === '2.0' && typeof e.routeKey === 'string';
}

/** The route key API Gateway matched, for the decision and the log line. */
export function routeKeyOf(event: APIGatewayRequestAuthorizerEventV2): string {
  return event.routeKey;
}

/**
 * The access token of a payload 2.0 event.
 *
 * Payload 2.0 has no multi-value headers: API Gateway lowercases header names and joins the values
 * of a repeated header with commas ("Working with AWS Lambda proxy integrations for HTTP APIs",
 * payload format 2.0: "Duplicate headers are combined with commas"). A compact JWS never contains a
 * comma, so a comma means several Authorization values and the request is refused, as the REST
 * handler refuses several values: which one a backend would read is ambiguous.
 */
export function httpApiAuthorization(event: APIGatewayRequestAuthorizerEventV2): Authorization {
  const value = httpApiHeader(event, 'authorization');
  if (value !== undefined && value.includes(',')) throw new Refusal('malformed_token', 'more than one Authorization header');
  return authorizationOf(value);
}

/** The `DPoP` header's values: one per comma-joined part (a proof, being a compact JWS, has no comma). */
export function httpApiProofs(event: APIGatewayRequestAuthorizerEventV2): string[] {
  const value = httpApiHeader(event, 'dpop');
  return value === undefined ? [] : value.split(',');
}

/** The one value of header `name` (lower case), `undefined` when absent. */
function httpApiHeader(event: APIGatewayRequestAuthorizerEventV2, name: string): string | undefined {
  const headers: unknown = event.headers;
  let value: string | undefined;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) throw new Refusal('invalid_request', 'headers is not an object');
    for (const [key, v] of Object.entries(headers as Record<string, unknown>)) {
      if (key.toLowerCase() !== name || v === undefined || v === null) continue;
      if (typeof v !== 'string') throw new Refusal('invalid_request', `${headerLabel(name)} header value is not a string`);
      if (value !== undefined) throw new Refusal('malformed_token', `more than one ${headerLabel(name)} header`);
      value = v;
    }
  }
  return value;
}
