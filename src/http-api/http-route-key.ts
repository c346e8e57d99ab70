import { ParsedRoute, parseRoute } from '../authorizer/routes';

/** The HTTP API catch-all route key. */
export const DEFAULT_ROUTE_KEY = '$default';

/**
 * Whether `route` is the HTTP API catch-all route. Any other route key is `'METHOD /path'`, parsed
 * by {@link parseRoute} with the same rules and messages as on REST APIs (HTTP API route keys are
 * a method, one space and a path whose last segment may be a greedy `{proxy+}`: "Create routes for
 * HTTP APIs in API Gateway", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 */
export function isDefaultRouteKey(route: string): boolean {
  return route === DEFAULT_ROUTE_KEY;
}

/** Parses an HTTP API route key other than `$default`; throws naming `prop`, the value and the fix. */
export function parseHttpRouteKey(route: string, prop: string): ParsedRoute {
  // parseRoute refuses a value that is not a string with the shared message.
  if (typeof route === 'string' && route.trim() === DEFAULT_ROUTE_KEY && route !== DEFAULT_ROUTE_KEY) {
    throw new Error(`${prop}: route ${JSON.stringify(route)} has spaces around $default. Write exactly '$default'.`);
  }
  return parseRoute(route, prop);
}

/** A route key as a construct ID (which cannot hold `/`); construct IDs are API, so it depends on the key alone. */
export function constructIdOf(routeKey: string): string {
  return routeKey.replace(/\//g, '~1');
}
