/**
 * Route selection as HTTP APIs do it ("Create routes for HTTP APIs in API Gateway", section
 * "Routing API requests", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html):
 * API Gateway picks the most specific match, in this order: a full match for route and method;
 * a match for route and method with a greedy path variable (`{proxy+}`); the `$default` route.
 * `ANY` matches every method not defined for the resource. No match: `{"message":"Not Found"}`.
 *
 * Where the guide does not rank two candidates (a literal segment against a path variable, an
 * exact method against `ANY`), this emulation prefers the more literal path first, then the exact
 * method. The authorizer's decisions do not depend on that choice: they are keyed by the route key
 * API Gateway reports.
 *
 * A trailing slash routes like the bare path, as REST APIs are recorded to route it (see
 * local/rest-api/routing.ts); the HTTP API guide does not say, so this is an assumption the
 * README lists for a check on AWS.
 */

export interface RouteMatch {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
}

interface Candidate {
  readonly match: RouteMatch;
  readonly greedy: boolean;
  /** One entry per segment: 2 literal, 1 variable, 0 greedy; compared left to right. */
  readonly rank: number[];
  readonly exactMethod: boolean;
}

/** The route that API Gateway sends `method path` to, or `undefined` (404). */
export function selectRoute(routeKeys: readonly string[], method: string, path: string): RouteMatch | undefined {
  const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = bare === '/' ? [] : bare.replace(/^\//, '').split('/');
  const candidates: Candidate[] = [];
  for (const routeKey of routeKeys) {
    if (routeKey === '$default') continue;
    const [routeMethod, routePath] = routeKey.split(' ');
    if (routeMethod !== method && routeMethod !== 'ANY') continue;
    const match = matchPath(routePath, segments);
    if (match) candidates.push({ ...match, match: { routeKey, pathParameters: match.pathParameters }, exactMethod: routeMethod === method });
  }
  candidates.sort((a, b) => Number(a.greedy) - Number(b.greedy) || compareRank(b.rank, a.rank) || Number(b.exactMethod) - Number(a.exactMethod));
  if (candidates.length > 0) return candidates[0].match;
  return routeKeys.includes('$default') ? { routeKey: '$default', pathParameters: {} } : undefined;
}

/** Whether every percent-escape of the path is valid UTF-8 percent-encoding (else decoding it throws "URI malformed"). */
export function isDecodablePath(path: string): boolean {
  return decodeSegment(path) !== undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function matchPath(routePath: string, segments: string[]): { pathParameters: Record<string, string>; greedy: boolean; rank: number[] } | undefined {
  const parts = routePath === '/' ? [] : routePath.replace(/^\//, '').split('/');
  const pathParameters: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const greedy = /^\{([^}]+)\+\}$/.exec(part);
    if (greedy) {
      // A greedy variable takes one or more segments.
      if (segments.length <= i) return undefined;
      const decoded = segments.slice(i).map(decodeSegment);
      // A path that cannot be decoded matches no route (the gateway answers 400 before routing).
      if (decoded.some((d) => d === undefined)) return undefined;
      pathParameters[greedy[1]] = decoded.join('/');
      rank.push(0);
      return { pathParameters, greedy: true, rank };
    }
    if (i >= segments.length) return undefined;
    const variable = /^\{([^}]+)\}$/.exec(part);
    if (variable) {
      if (segments[i] === '') return undefined;
      const decoded = decodeSegment(segments[i]);
      if (decoded === undefined) return undefined;
      pathParameters[variable[1]] = decoded;
      rank.push(1);
    } else {
      if (part !== segments[i]) return undefined;
      rank.push(2);
    }
  }
  return segments.length === parts.length ? { pathParameters, greedy: false, rank } : undefined;
}
