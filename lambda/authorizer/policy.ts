import type { PolicyDocument } from 'aws-lambda';
import { missingScopes } from './grants';
import { Refusal } from './refusal';
import { policyPatternsOf, type AuthorizerConfig, type AuthorizerRoute } from '../../src/authorizer/authorizer-config';

/** What the authorizer decided for a verified token. */
export interface Decision {
  readonly policyDocument: PolicyDocument;
  /** Whether the route asked about is allowed; a denied one is logged as a refusal (403). */
  readonly allowed: boolean;
  readonly reason?: 'insufficient_scope' | 'unknown_route';
  readonly missingScopes?: string[];
}

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}`: the first two `/`-separated parts of
 * the method ARN. Every policy resource is this prefix plus a route's `METHOD/path` pattern.
 */
export function arnPrefix(methodArn: unknown): string {
  if (typeof methodArn !== 'string') throw new Refusal('invalid_request', 'methodArn is missing');
  const parts = methodArn.split('/');
  if (parts.length < 4 || !parts[0].startsWith('arn:') || parts[0].split(':').length !== 6 || parts[1].length === 0) {
    throw new Refusal('invalid_request', 'methodArn is not an execute-api method ARN');
  }
  return `${parts[0]}/${parts[1]}`;
}

/** The route a request was made on: exact method first, then an `ANY` route on the same path. */
export function findRoute(routes: readonly AuthorizerRoute[], method: string, resource: string): AuthorizerRoute | undefined {
  return routes.find((r) => r.path === resource && r.method === method)
    ?? routes.find((r) => r.path === resource && r.method === 'ANY');
}

/**
 * The policy for a verified token.
 *
 * - `api`: one Allow listing every route the grants satisfy, reused by API Gateway's cache on
 *   every route. The construct guarantees that routes needing different scopes never have
 *   overlapping patterns in this mode (under any reading of the method ARN), so an Allow never
 *   reaches a route it should not; a route left out is denied implicitly (403). With nothing
 *   allowed, an explicit Deny of the whole stage.
 * - `route`: a decision for the requested route only (the cache key includes method and path):
 *   Allow or Deny its pattern.
 *
 * In both, a request on a route the configuration does not know (a deployment switching stages,
 * or a method added beside the construct) gets an explicit Deny of the whole stage: the route
 * table it would be judged by is not this one. In `api` mode that Deny is cached for the token
 * like any decision, so the token is refused everywhere until the cache entry expires.
 */
export function decide(config: AuthorizerConfig, prefix: string, method: string, resource: string, grants: ReadonlySet<string>): Decision {
  const route = findRoute(config.routes, method, resource);
  if (!route) {
    return { policyDocument: statement('Deny', [`${prefix}/*`]), allowed: false, reason: 'unknown_route' };
  }
  const missing = missingScopes(route.scopes, grants);
  const denied = missing.length > 0
    ? { allowed: false, reason: 'insufficient_scope' as const, missingScopes: missing }
    : { allowed: true };
  if (config.policyScope === 'api') {
    const allowed = config.routes.filter((r) => missingScopes(r.scopes, grants).length === 0);
    const resources = [...new Set(allowed.flatMap((r) => resourcesOf(prefix, r)))];
    return { policyDocument: resources.length > 0 ? statement('Allow', resources) : statement('Deny', [`${prefix}/*`]), ...denied };
  }
  return { policyDocument: statement(missing.length > 0 ? 'Deny' : 'Allow', resourcesOf(prefix, route)), ...denied };
}

function resourcesOf(prefix: string, route: AuthorizerRoute): string[] {
  return policyPatternsOf(route).map((pattern) => `${prefix}/${pattern}`);
}

function statement(effect: 'Allow' | 'Deny', resources: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resources }],
  };
}
