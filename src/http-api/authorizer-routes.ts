import { CfnResource } from 'aws-cdk-lib';
import { CfnApi, CfnRoute, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { HttpRouteTable } from './http-route-table';
import { renderedRoutesOf } from './rendered-routes';
import { AuthorizerVariants } from '../authorizer/authorizer-variants';
import { referencedResource, refersTo } from '../authorizer/rendered-references';
import { renderedResource, renderedResourcesOfType } from '../authorizer/rendered-resources';
import { tableEntry } from '../authorizer/staged-table-check';

/** The routes of the app that deploy with a standalone HTTP authorizer, and the route table they make. */
export interface AuthorizerRoutes {
  /** Their resources, as found. */
  readonly routes: CfnResource[];
  /** {@link tableEntry} per route: what the route table was built from, to compare at validation. */
  readonly entries: string[];
  readonly table: HttpRouteTable;
  /** What keeps the routes from making a route table, each naming the fix; none when `table` is complete. */
  readonly problems: string[];
}

/**
 * Every route in the app that CloudFormation will deploy with the standalone authorizer
 * `authorizer` (rendered `AuthorizationType` CUSTOM and an `AuthorizerId` that refers to it,
 * overrides and L1 routes included: see rendered-resources.ts), keyed by its rendered `RouteKey`,
 * with the scopes of the `withScopes` variant its rendered `AuthorizerId` names.
 *
 * `AuthorizationScopes` are refused rather than ignored: API Gateway uses a route's
 * AuthorizationScopes with JWT authorizers ("The scopes are used with a JWT authorizer to authorize
 * the method invocation", API Gateway V2 API Reference, Route,
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes-routeid.html),
 * not with a Lambda authorizer, so on a `CUSTOM` route they would not be enforced by anyone; and
 * they mean "any of", where this library's scopes mean "all of".
 */
export function collectAuthorizerRoutes(
  root: IConstruct, authorizer: CfnResource, variants: AuthorizerVariants, requiredScopes: string[], owner: string,
): AuthorizerRoutes {
  const problems: string[] = [];
  const apis = new Map<CfnResource, HttpApi>();
  for (const r of renderedResourcesOfType(root, CfnRoute.CFN_RESOURCE_TYPE_NAME)) {
    const p = r.properties;
    if (p.AuthorizationType !== 'CUSTOM' || !refersTo(p.AuthorizerId, r.resource, authorizer, ['Ref', 'AuthorizerId'])) continue;
    const api = httpApiNamedBy(p.ApiId);
    if (api === undefined) {
      problems.push(`${owner}: the route ${r.resource.node.path} uses it, but its ApiId is not an HttpApi defined in this app, so its routes cannot be read. `
        + 'Add the route to an HttpApi of this app with addRoutes({ ..., authorizer }).');
    } else {
      apis.set(api.node.defaultChild as CfnResource, api);
    }
  }
  if (apis.size > 1) {
    problems.push(`${owner}: routes of ${apis.size} HTTP APIs use it (${[...apis.values()].map((a) => a.node.path).join(', ')}), but an API Gateway authorizer belongs to one API. `
      + 'Create one Auth0HttpAuthorizer per HTTP API.');
  }
  const api = apis.size === 1 ? [...apis.values()][0] : undefined;
  const routes = api ? renderedRoutesOf(api, authorizer).filter((r) => r.usesAuthorizer) : [];
  if (routes.length === 0 && problems.length === 0) {
    problems.push(`${owner}: no route uses it. Pass it to addRoutes({ ..., authorizer }) or defaultAuthorizer, or remove it.`);
  }
  const entries: { routeKey: string; scopes: string[] }[] = [];
  for (const route of routes) {
    const scopes = renderedResource(route.resource)?.properties.AuthorizationScopes;
    if (Array.isArray(scopes) && scopes.length > 0) {
      problems.push(`${owner}: route "${route.route}" (${route.resource.node.path}) sets authorizationScopes, which API Gateway applies only to JWT authorizers, so they would never be checked. `
        + 'Use the authorizer\'s withScopes instead: addRoutes({ ..., authorizer: auth.withScopes(\'scope:a\', \'scope:b\') }), which requires all of them.');
    } else {
      entries.push({ routeKey: route.route, scopes: variants.scopesOf(route.authorizerId) });
    }
  }
  const table = new HttpRouteTable([]);
  if (problems.length === 0) for (const { routeKey, scopes } of entries) table.add(routeKey, { requiredScopes, scopes, corsPreflight: false });
  return {
    routes: routes.map((r) => r.resource),
    entries: entries.map(({ routeKey, scopes }) => tableEntry(routeKey, [...requiredScopes, ...scopes])),
    table,
    problems,
  };
}

/** The HttpApi of this app a rendered `ApiId` refers to (its own id, or an imported copy's, which is the same reference). */
function httpApiNamedBy(apiId: unknown): HttpApi | undefined {
  const target = referencedResource(apiId);
  const api = target?.cfnResourceType === CfnApi.CFN_RESOURCE_TYPE_NAME ? target.node.scope : undefined;
  return api instanceof HttpApi && api.node.defaultChild === target ? api : undefined;
}
