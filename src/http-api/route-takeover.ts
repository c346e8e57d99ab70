import { CfnApi, CfnRoute, HttpApi, HttpRoute, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct, IConstruct } from 'constructs';
import { HttpRouteTable } from './http-route-table';
import { renderedResourcesOfApi } from '../authorizer/api-references';

/** What a handed-over HTTP API's routes are checked against. */
export interface RouteTakeoverInput {
  readonly scope: Construct;
  readonly api: HttpApi;
  readonly routes: HttpRouteTable;
  readonly requiredScopes: string[];
  /** Routes `addRoute` created (and their CORS preflight routes): already decided. */
  readonly own: ReadonlySet<IConstruct>;
  /** Routes `allowDirectRoute` left to their own authorization. */
  readonly allowed: ReadonlySet<HttpRoute>;
  /** Scopes declared with `requireScopes` for routes their owner created. */
  readonly extraScopes: ReadonlyMap<HttpRoute, string[]>;
  readonly authorizer: IHttpRouteAuthorizer;
}

/** The routes a takeover decided, and what it refuses. */
export interface RouteTakeoverResult {
  readonly protectedRoutes: HttpRoute[];
  readonly publicRoutes: HttpRoute[];
  /** Route keys taken over that match `OPTIONS` too (`ANY /x`, `$default`): they need a preflight route when CORS is on. */
  readonly catchAllKeys: string[];
  readonly problems: string[];
}

/**
 * Puts the construct's authorizer on every route of a handed-over HTTP API that has no
 * authorization of its own, however it was added (`addRoutes`, `new HttpRoute`, a
 * `defaultIntegration`), before or after the construct. Runs once, when the app is complete.
 *
 * A route listed in `publicRoutes` stays open. A route its owner gave other authorization (IAM,
 * JWT, another Lambda authorizer) is refused unless `allowDirectRoute` accepts it, and so is an L1
 * `CfnRoute` without authorization: only a route construct can be bound to the authorizer.
 */
export function takeOverRoutes(input: RouteTakeoverInput): RouteTakeoverResult {
  const result: RouteTakeoverResult = { protectedRoutes: [], publicRoutes: [], catchAllKeys: [], problems: [] };
  const defaultScopes = input.api.defaultAuthorizationScopes ?? [];
  if (defaultScopes.length > 0) {
    // CDK adds them to a route only together with an authorizer, and API Gateway applies route
    // scopes to JWT authorizers only (see authorizer-routes.ts): taken over, they would be dropped.
    result.problems.push(`httpApi: defaultAuthorizationScopes ${JSON.stringify(defaultScopes)} would never be checked: CDK drops them on routes without an authorizer, `
      + 'and API Gateway applies route scopes to JWT authorizers only, so every route this construct protects would accept any valid token. '
      + 'Remove defaultAuthorizationScopes from your HttpApi and set requiredScopes on this construct, or requireScopes(route, [...]) per route.');
  }
  const reference = { apiId: input.api.apiId, apiResource: input.api.node.defaultChild as CfnApi, idAttribute: 'ApiId' };
  // Read as CloudFormation will deploy them (overrides and generic CfnResources included).
  for (const rendered of renderedResourcesOfApi(reference, CfnRoute.CFN_RESOURCE_TYPE_NAME, 'ApiId')) {
    const cfn = rendered.resource;
    if (input.own.has(cfn)) continue;
    const route = routeOwning(cfn);
    const routeKey = String(rendered.properties.RouteKey);
    if (route !== undefined && input.allowed.has(route)) {
      // Scopes asked for a route the authorizer never sees would be ignored: refuse them.
      if (input.extraScopes.has(route)) {
        result.problems.push(`requireScopes: route "${routeKey}" (${route.node.path}) is accepted with allowDirectRoute, so it keeps its own authorization and this construct's authorizer never checks the scopes. `
          + 'Drop requireScopes for it, or remove its own authorization and allowDirectRoute to let the construct protect it.');
      }
      continue;
    }
    const authorization = String(rendered.properties.AuthorizationType ?? 'NONE');
    const name = `httpApi: route "${routeKey}" (${(route ?? cfn).node.path})`;
    const scopes = route === undefined ? undefined : input.extraScopes.get(route);
    const overridden = rendered.overridden.filter((p) => ['RouteKey', 'AuthorizationType', 'AuthorizerId', 'AuthorizationScopes'].includes(p));
    if (overridden.length > 0) {
      result.problems.push(`${name} overrides ${overridden.join(', ')} (addPropertyOverride or addOverride), which would win over the authorizer this construct puts on it. `
        + 'Remove the override; give the route its authorization with the construct (publicRoutes, requireScopes, allowDirectRoute).');
      continue;
    }
    if (authorization !== 'NONE' || rendered.properties.AuthorizerId !== undefined) {
      result.problems.push(`${name} has its own authorization (${authorization}), so this construct's authorizer does not protect it`
        + `${scopes ? ' and cannot require the scopes given with requireScopes' : ''}. Remove its authorizer to let the construct take it over, `
        + 'or, if it is deliberately left to its own authorization, call api.allowDirectRoute(route, reason).');
      continue;
    }
    if (route === undefined) {
      result.problems.push(`${name} is an L1 CfnRoute without authorization, which this construct cannot bind its authorizer to. `
        + 'Add it with httpApi.addRoutes(...) or api.addRoute(route, integration) instead.');
      continue;
    }
    const added = input.routes.add(routeKey, { requiredScopes: input.requiredScopes, scopes: scopes ?? [], corsPreflight: false });
    if (added.isPublic) {
      result.publicRoutes.push(route);
      continue;
    }
    const bound = input.authorizer.bind({ route, scope: input.scope });
    const l1 = route.node.defaultChild as CfnRoute;
    l1.authorizationType = bound.authorizationType;
    l1.authorizerId = bound.authorizerId;
    result.protectedRoutes.push(route);
    if (added.method === 'ANY' || added.path === undefined) result.catchAllKeys.push(added.routeKey);
  }
  return result;
}

/** The L2 `HttpRoute` whose resource `cfn` is, if any. */
function routeOwning(cfn: IConstruct): HttpRoute | undefined {
  const scope = cfn.node.scope;
  return scope instanceof HttpRoute && scope.node.defaultChild === cfn ? scope : undefined;
}
