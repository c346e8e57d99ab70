/**
 * The method and URL the client called, rebuilt from what API Gateway sends the authorizer, for
 * DPoP's `htm` and `htu` (RFC 9449 section 4.3, checks 8 and 9).
 *
 * What is compared: `htu` without query and fragment, against
 * `https://{host}{path}` where
 * - host: `requestContext.domainName` (the execute-api host or the custom domain the client used),
 *   or, where an event has none, the single `Host` header;
 * - path: REST (payload 1.0 REQUEST event) `requestContext.path`, the path as the client sent it:
 *   `/{stage}/...` on the execute-api host, `/{basePath}/...` on a custom domain with a base path
 *   mapping; HTTP API (payload 2.0) `rawPath`, which likewise keeps a named stage and the API
 *   mapping key ("Input to an API Gateway Lambda authorizer",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html;
 *   payload format 2.0 in https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * Both sides are normalised by the WHATWG URL parser (scheme and host lower case, default port
 * dropped, dot segments resolved) before an exact comparison; the scheme is `https`, as API
 * Gateway serves only https, except for loopback hosts, which only the local gateway produces
 * (plain http there).
 *
 * A request path the parser would rewrite into another path (dot segments `.` and `..`, literal or
 * percent-encoded, and backslashes, which it reads as `/`) is refused instead: API Gateway routes
 * on the path as sent, so `/prod/admin/x/../../me` is matched as `/admin/{proxy+}` while it
 * resolves to `/prod/me`, and a proof made for `/prod/me` would authorize it. Browsers and HTTP
 * clients resolve dot segments before sending and never send a backslash in a path, so only a
 * request crafted around someone else's proof has one.
 */
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { restHeaderValues } from './token';
import { isLoopbackHost } from '../../src/authorizer/authorizer-config';

/** The request a DPoP proof must be for; `url` is `undefined` when the event does not tell. */
export interface RequestTarget {
  readonly method: string;
  readonly url: string | undefined;
  /** Why no proof can be bound to this request's path (the client's doing), when that is so. */
  readonly unbindablePath?: string;
}

export function restRequestTarget(event: APIGatewayRequestAuthorizerEvent): RequestTarget {
  const context = (event.requestContext ?? {}) as { domainName?: unknown; path?: unknown };
  const hosts = restHeaderValues(event, 'host');
  const host = nonEmpty(context.domainName) ?? (hosts.length === 1 ? hosts[0] : undefined);
  const path = nonEmpty(context.path);
  return { method: String(event.httpMethod), url: urlOf(host, path), unbindablePath: rewrittenPathProblem(path) };
}

export function httpApiRequestTarget(event: APIGatewayRequestAuthorizerEventV2): RequestTarget {
  const context = (event.requestContext ?? {}) as { domainName?: unknown; http?: { method?: unknown } };
  const host = nonEmpty(context.domainName) ?? nonEmpty(event.headers?.host);
  const path = nonEmpty(event.rawPath);
  return { method: String(context.http?.method), url: urlOf(host, path), unbindablePath: rewrittenPathProblem(path) };
}

/** A dot segment, literal or percent-encoded (`.`, `..`, `%2e`, `.%2E`, ...), between `/` or `\` separators. */
const DOT_SEGMENT = /(^|[/\\])(\.|%2e){1,2}(?=$|[/\\])/i;

/** Why the URL parser would turn `path` into another path, or `undefined` when it would not. */
function rewrittenPathProblem(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path.includes('\\')) return 'the request path has a backslash, which URL parsing turns into a /';
  if (DOT_SEGMENT.test(path)) return 'the request path has a dot segment (. or ..), which URL parsing resolves away';
  return undefined;
}

/**
 * `htu` and the request URL in the form they are compared in: origin and path, no query or
 * fragment; `undefined` when `url` is not an absolute http(s) URL.
 */
export function comparableUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

function urlOf(host: string | undefined, path: string | undefined): string | undefined {
  if (host === undefined || path === undefined || !path.startsWith('/') || /[\s/?#@\\]/.test(host)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
  return comparableUrl(`${isLoopbackHost(hostname) ? 'http' : 'https'}://${host}${path}`);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
