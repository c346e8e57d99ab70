/**
 * The decision for an HTTP API request (payload format 2.0, simple responses).
 *
 * API Gateway's contract ("Control access to HTTP APIs with AWS Lambda authorizers",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * with `enableSimpleResponses` the function returns `{ isAuthorized, context }`; `isAuthorized:
 * false` is a 403; rejecting with exactly `Unauthorized` is a 401; any other failure or an invalid
 * response is a 500. The context reaches Lambda backends as `event.requestContext.authorizer.lambda`.
 *
 * Caching: the construct makes the identity sources `$request.header.Authorization` and
 * `$context.routeKey`, so API Gateway's cache key includes the route and a cached decision is only
 * ever reused for the route it was made for. The decision here is therefore about exactly one route:
 * the event's `routeKey`, looked up by exact key in the configuration.
 */
import type { APIGatewayAuthorizerResultContext, APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { authenticate, type Instance } from './authenticate';
import { contextFor } from './context';
import { missingScopes } from './grants';
import { httpApiAuthorization, httpApiProofs, isHttpApiEvent, routeKeyOf } from './http-api-event';
import { logRefusal } from './log';
import { httpApiRequestTarget } from './request-target';
import { logUnauthorized, unauthorized } from './unauthorized';

export { isHttpApiEvent };

export type HttpApiResult = APIGatewaySimpleAuthorizerWithContextResult<APIGatewayAuthorizerResultContext>;

/** Decides one HTTP API request. Resolves `{ isAuthorized }` (200 or 403) or rejects with exactly `Unauthorized` (401). */
export async function authorizeHttpApiRequest(
  event: APIGatewayRequestAuthorizerEventV2,
  ready: Instance | { readonly error: string },
): Promise<HttpApiResult> {
  const route = routeKeyOf(event);
  if ('error' in ready) {
    logRefusal({ reason: 'invalid_configuration', route, detail: ready.error, status: 401 });
    throw unauthorized();
  }
  let token: string | undefined;
  try {
    const authorization = httpApiAuthorization(event);
    token = authorization.token;
    const presented = { authorization, proofs: httpApiProofs(event), target: httpApiRequestTarget(event) };
    const { claims, grants } = await authenticate(ready, presented, route);
    const entry = ready.config.httpRoutes?.find((r) => r.routeKey === route);
    if (entry === undefined) {
      // A route API Gateway routed here but the configuration does not list: a deployment that does
      // not match its configuration. Denied; `unknown_route` is an alarm reason, so logged at ERROR.
      logRefusal({ reason: 'unknown_route', route, sub: claims.sub, status: 403 });
      return { isAuthorized: false, context: {} };
    }
    const missing = missingScopes(entry.scopes, grants);
    if (missing.length > 0) {
      logRefusal({ reason: 'insufficient_scope', route, sub: claims.sub, missingScopes: missing, status: 403 });
      return { isAuthorized: false, context: {} };
    }
    return { isAuthorized: true, context: contextFor(claims, grants, ready.config.contextClaims) };
  } catch (error) {
    // Whatever went wrong, API Gateway must see exactly `Unauthorized`: anything else is a 500.
    logUnauthorized(error, route, token);
    throw unauthorized();
  }
}
