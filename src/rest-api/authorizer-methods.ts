import { Stack } from 'aws-cdk-lib';
import { CfnMethod, IRestApi, Method } from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { isCfnResourceOfType } from '../authorizer/api-references';
import { RouteTable } from '../authorizer/route-table';

/** The methods of the app that use a standalone authorizer, and the route table they make. */
export interface AuthorizerMethods {
  /** The one REST API they belong to. */
  readonly api: IRestApi;
  readonly methods: Method[];
  readonly routes: RouteTable;
}

/**
 * Finds every method in the app whose `AuthorizerId` is one of a standalone authorizer's ids
 * (the authorizer itself, or one of its `withScopes` variants: each has its own token, so the
 * id a method carries says which scopes it asked for), and builds the route table from them.
 *
 * `AuthorizationScopes` are refused rather than ignored: API Gateway uses a method's
 * AuthorizationScopes only with a `COGNITO_USER_POOLS` authorizer ("The scopes are used with a
 * COGNITO_USER_POOLS authorizer to authorize the method invocation", API Gateway API Reference,
 * Method, https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html), and CDK drops them
 * with a warning on any other authorization type, so on a `CUSTOM` method they would never be
 * enforced. They also mean "any of", where this library's scopes mean "all of".
 */
export function collectAuthorizerMethods(
  root: IConstruct, variants: ReadonlyMap<string, string[]>, requiredScopes: string[], owner: string,
): AuthorizerMethods {
  const routes = new RouteTable([]);
  const found: { method: Method; name: string; scopes: string[] }[] = [];
  const apis = new Map<string, IRestApi>();
  const problems: string[] = [];
  for (const cfn of root.node.findAll()) {
    if (!isCfnResourceOfType(cfn, CfnMethod.CFN_RESOURCE_TYPE_NAME)) continue;
    const method = cfn as CfnMethod;
    const scopes = typeof method.authorizerId === 'string' ? variants.get(method.authorizerId) : undefined;
    if (scopes === undefined) continue;
    const l2 = method.node.scope instanceof Method && method.node.scope.node.defaultChild === method ? method.node.scope : undefined;
    if (l2 === undefined) {
      problems.push(`${owner}: the CfnMethod ${method.node.path} uses it, but only a Method (resource.addMethod) tells which route it is. Add the method with addMethod(verb, integration, { authorizer }).`);
      continue;
    }
    const name = `${l2.httpMethod} ${l2.resource.path}`;
    if (hasAuthorizationScopes(l2, method)) {
      problems.push(`${owner}: ${name} (${l2.node.path}) sets authorizationScopes, which API Gateway applies only to Cognito authorizers (CDK drops them here), so they would never be checked. `
        + 'Use the authorizer\'s withScopes instead: addMethod(verb, integration, { authorizer: auth.withScopes(\'scope:a\', \'scope:b\') }), which requires all of them.');
      continue;
    }
    apis.set(l2.api.restApiId, l2.api);
    found.push({ method: l2, name, scopes });
  }
  if (found.length === 0) {
    problems.push(`${owner}: no method uses it. Pass it to addMethod(verb, integration, { authorizer }) or defaultMethodOptions, or remove it.`);
  }
  if (apis.size > 1) {
    problems.push(`${owner}: methods of ${apis.size} REST APIs use it (${[...apis.values()].map((a) => a.node.path).join(', ')}), but an API Gateway authorizer belongs to one REST API. `
      + 'Create one Auth0RestAuthorizer per REST API.');
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  for (const { name, scopes } of found) routes.add(name, { requiredScopes, scopes, corsPreflight: false });
  return { api: [...apis.values()][0]!, methods: found.map((f) => f.method), routes };
}

/** Scopes given on the method (CDK leaves a warning and drops them) or set on the L1 afterwards. */
function hasAuthorizationScopes(method: Method, cfn: CfnMethod): boolean {
  const dropped = method.node.metadata.some((m) => m.type === 'aws:cdk:warning' && String(m.data).includes('invalidAuthScope'));
  const scopes = Stack.of(cfn).resolve(cfn.authorizationScopes) as unknown[] | undefined;
  return dropped || (Array.isArray(scopes) && scopes.length > 0);
}
