import type { PolicyDocument } from 'aws-lambda';
import { missingScopes } from './grants';
import { Refusal } from './refusal';
import type { AuthorizerConfig, AuthorizerRoute } from '../../src/authorizer-config';

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
 *   overlapping patterns in this mode, so an Allow never reaches a route it should not; a route
 *   left out is denied implicitly (403). With nothing allowed, an explicit Deny of the whole stage.
 * - `route`: a decision for the requested route only (the cache key includes method and path):
 *   Allow or Deny its pattern. A request on a route the configuration does not know is denied.
 */
export function decide(config: AuthorizerConfig, prefix: string, method: string, resource: string, grants: ReadonlySet<string>): Decision {
  if (config.policyScope === 'api') {
    const allowed = config.routes.filter((r) => missingScopes(r.scopes, grants).length === 0);
    const requested = findRoute(config.routes, method, resource);
    const missing = requested ? missingScopes(requested.scopes, grants) : undefined;
    const resources = [...new Set(allowed.map((r) => `${prefix}/${r.resourcePattern}`))];
    return {
      policyDocument: resources.length > 0 ? statement('Allow', resources) : statement('Deny', [`${prefix}/*`]),
      allowed: missing !== undefined && missing.length === 0,
      reason: missing === undefined ? 'unknown_route' : missing.length > 0 ? 'insufficient_scope' : undefined,
      missingScopes: missing !== undefined && missing.length > 0 ? missing : undefined,
    };
  }
  const route = findRoute(config.routes, method, resource);
  if (!route) {
    return { policyDocument: statement('Deny', [`${prefix}/*`]), allowed: false, reason: 'unknown_route' };
  }
  const missing = missingScopes(route.scopes, grants);
  if (missing.length > 0) {
    return { policyDocument: statement('Deny', [`${prefix}/${route.resourcePattern}`]), allowed: false, reason: 'insufficient_scope', missingScopes: missing };
  }
  return { policyDocument: statement('Allow', [`${prefix}/${route.resourcePattern}`]), allowed: true };
}

function statement(effect: 'Allow' | 'Deny', resources: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resources }],
  };
}
