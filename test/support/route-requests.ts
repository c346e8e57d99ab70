/**
 * Requests as API Gateway routes them, and the readings of their method ARN a policy must survive:
 * shared by the policy property tests (the authorizer's `decide`, and the shipped bundle).
 */
import { methodArn } from './api-gateway';
import type { AuthorizerRoute } from '../../src/authorizer/authorizer-config';
import { RouteTable } from '../../src/authorizer/route-table';

export interface RouteSpec {
  readonly method: string;
  readonly path: string;
  readonly scopes: string[];
}

/** The protected routes the construct would configure, or undefined when none could be added. */
export function buildTable(specs: RouteSpec[]): { routes: AuthorizerRoute[]; scope: 'api' | 'route' } | undefined {
  const table = new RouteTable([]);
  for (const spec of specs) {
    try {
      table.add(`${spec.method} ${spec.path}`, { requiredScopes: [], scopes: spec.scopes, corsPreflight: false });
    } catch {
      // Duplicates and sibling parameters with different names are refused, as API Gateway refuses them.
    }
  }
  const routes = table.authorizerRoutes();
  return routes.length === 0 ? undefined : { routes, scope: table.policyScope() };
}

/** Whether a route template matches a request path (segments as sent: `%2F` does not split). */
export function templateMatches(route: AuthorizerRoute, method: string, segments: string[]): boolean {
  if (route.method !== 'ANY' && route.method !== method) return false;
  const parts = route.path === '/' ? [] : route.path.slice(1).split('/');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].endsWith('+}')) return segments.length > i;
    if (i >= segments.length) return false;
    if (!parts[i].startsWith('{') && parts[i] !== segments[i]) return false;
  }
  return parts.length === segments.length;
}

/** API Gateway's choice among matching templates: per segment literal over parameter over greedy, then exact method over ANY. */
function specificity(route: AuthorizerRoute): number[] {
  const parts = route.path === '/' ? [] : route.path.slice(1).split('/');
  return [...parts.map((p) => (p.endsWith('+}') ? 0 : p.startsWith('{') ? 1 : 2)), route.method === 'ANY' ? 0 : 1];
}
export function moreSpecific(a: AuthorizerRoute, b: AuthorizerRoute): number {
  const x = specificity(a);
  const y = specificity(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return y[i] - x[i];
  return y.length - x.length;
}

export const holds = (route: AuthorizerRoute, grants: Set<string>) => route.scopes.every((s) => grants.has(s));

/** The path segments of a request aimed at `target`, its parameters filled with `values` (which may reach another route). */
export function requestSegments(target: AuthorizerRoute, values: string[], greedyExtra: number): string[] {
  const segments: string[] = [];
  (target.path === '/' ? [] : target.path.slice(1).split('/')).forEach((part, i) => {
    if (part.endsWith('+}')) segments.push(...values.slice(i % 2, i % 2 + 1 + greedyExtra));
    else segments.push(part.startsWith('{') ? values[i % values.length] : part);
  });
  return segments;
}

/** The route API Gateway picks among those matching, and every route that matches. */
export function routing(routes: AuthorizerRoute[], method: string, segments: string[]): { reached: AuthorizerRoute; candidates: AuthorizerRoute[] } {
  const candidates = routes.filter((r) => templateMatches(r, method, segments));
  const reached = [...candidates].sort(moreSpecific)[0];
  if (!reached) throw new Error(`no route matches ${method} /${segments.join('/')}`);
  return { reached, candidates };
}

/**
 * The path a request was sent with: its segments, and with `trailingSlash` a `/` after them, which
 * API Gateway routes like the bare path (the root has none to add).
 */
export function sentPath(segments: string[], trailingSlash = false): string {
  return `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;
}

/**
 * Every reading of the request's method ARN: the path as sent or with `%2F` decoded, with or without
 * a trailing `/`, matched with or without case. The first is the request exactly as sent (with its
 * trailing slash when it has one), matched with case.
 */
export function arnReadings(method: string, segments: string[], trailingSlash = false): { arn: string; ignoreCase: boolean }[] {
  const sent = `/${segments.join('/')}`;
  const readings: { arn: string; ignoreCase: boolean }[] = [{ arn: methodArn(method, sentPath(segments, trailingSlash)), ignoreCase: false }];
  for (const path of [sent, sent.replace(/%2F/g, '/')]) {
    for (const trailing of ['', '/']) {
      for (const ignoreCase of [false, true]) readings.push({ arn: methodArn(method, path === '/' && trailing ? '/' : path + trailing), ignoreCase });
    }
  }
  return readings;
}
