import { Stack } from 'aws-cdk-lib';
import { CfnRoute, IHttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpRouteTable } from './http-route-table';

/** A route a standalone HTTP authorizer was bound to, with the scopes it was bound with. */
export interface BoundRoute {
  readonly route: IHttpRoute;
  readonly scopes: string[];
}

/**
 * The route table of a standalone HTTP authorizer: the routes it was bound to (CDK binds an
 * `IHttpRouteAuthorizer` once per route, `defaultAuthorizer` included), keyed as API Gateway keys
 * them.
 *
 * `AuthorizationScopes` are refused rather than ignored: API Gateway uses a route's
 * AuthorizationScopes with JWT authorizers ("The scopes are used with a JWT authorizer to authorize
 * the method invocation", API Gateway V2 API Reference, Route,
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes-routeid.html),
 * not with a Lambda authorizer, so on a `CUSTOM` route they would not be enforced by anyone; and
 * they mean "any of", where this library's scopes mean "all of".
 */
export function httpAuthorizerRoutes(bound: BoundRoute[], requiredScopes: string[], owner: string): HttpRouteTable {
  const table = new HttpRouteTable([]);
  const problems: string[] = [];
  for (const { route, scopes } of bound) {
    const cfn = route.node.defaultChild as CfnRoute;
    const stack = Stack.of(cfn);
    const routeKey = String(stack.resolve(cfn.routeKey));
    const given = stack.resolve(cfn.authorizationScopes) as unknown[] | undefined;
    if (Array.isArray(given) && given.length > 0) {
      problems.push(`${owner}: route "${routeKey}" (${route.node.path}) sets authorizationScopes, which API Gateway applies only to JWT authorizers, so they would never be checked. `
        + 'Use the authorizer\'s withScopes instead: addRoutes({ ..., authorizer: auth.withScopes(\'scope:a\', \'scope:b\') }), which requires all of them.');
      continue;
    }
    table.add(routeKey, { requiredScopes, scopes, corsPreflight: false });
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return table;
}

