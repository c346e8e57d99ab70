import { CfnResource } from 'aws-cdk-lib';
import { CfnMethod, CfnRestApi, Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { renderedMethodsOf } from './rendered-methods';
import { AuthorizerVariants } from '../authorizer/authorizer-variants';
import { referencedResource, refersTo } from '../authorizer/rendered-references';
import { renderedResource, renderedResourcesOfType } from '../authorizer/rendered-resources';
import { RouteTable } from '../authorizer/route-table';
import { tableEntry } from '../authorizer/staged-table-check';

/** The methods of the app that deploy with a standalone authorizer, and the route table they make. */
export interface AuthorizerMethods {
  /** The one REST API they belong to. */
  readonly api?: RestApi;
  /** Their resources, as found. */
  readonly methods: CfnResource[];
  /** {@link tableEntry} per method: what the route table was built from, to compare at validation. */
  readonly entries: string[];
  readonly routes: RouteTable;
  /** What keeps the methods from making a route table, each naming the fix; none when `routes` is complete. */
  readonly problems: string[];
}

/**
 * Every method in the app that CloudFormation will deploy with the standalone authorizer
 * `authorizer` (rendered `AuthorizationType` CUSTOM and an `AuthorizerId` that refers to it,
 * overrides and L1 methods included: see rendered-resources.ts), and the route table they make.
 * The scopes of each are those of the `withScopes` variant its rendered `AuthorizerId` names.
 *
 * `AuthorizationScopes` are refused rather than ignored: API Gateway uses a method's
 * AuthorizationScopes only with a `COGNITO_USER_POOLS` authorizer ("The scopes are used with a
 * COGNITO_USER_POOLS authorizer to authorize the method invocation", API Gateway API Reference,
 * Method, https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html), and CDK drops them
 * with a warning on any other authorization type, so on a `CUSTOM` method they would never be
 * enforced. They also mean "any of", where this library's scopes mean "all of".
 */
export function collectAuthorizerMethods(
  root: IConstruct, authorizer: CfnResource, variants: AuthorizerVariants, requiredScopes: string[], owner: string,
): AuthorizerMethods {
  const problems: string[] = [];
  const apis = new Map<CfnResource, RestApi>();
  for (const m of renderedResourcesOfType(root, CfnMethod.CFN_RESOURCE_TYPE_NAME)) {
    const p = m.properties;
    if (p.AuthorizationType !== 'CUSTOM' || !refersTo(p.AuthorizerId, m.resource, authorizer, ['Ref', 'AuthorizerId'])) continue;
    const api = restApiNamedBy(p.RestApiId);
    if (api === undefined) {
      problems.push(`${owner}: the method ${m.resource.node.path} uses it, but its RestApiId is not a RestApi (or LambdaRestApi) defined in this app, so its route cannot be read. `
        + 'Add the method to a RestApi of this app with addMethod(verb, integration, { authorizer }).');
    } else {
      apis.set(api.node.defaultChild as CfnResource, api);
    }
  }
  if (apis.size > 1) {
    problems.push(`${owner}: methods of ${apis.size} REST APIs use it (${[...apis.values()].map((a) => a.node.path).join(', ')}), but an API Gateway authorizer belongs to one REST API. `
      + 'Create one Auth0RestAuthorizer per REST API.');
  }
  const api = apis.size === 1 ? [...apis.values()][0] : undefined;
  const methods = api ? renderedMethodsOf(api, authorizer).filter((m) => m.usesAuthorizer) : [];
  if (methods.length === 0 && problems.length === 0) {
    problems.push(`${owner}: no method uses it. Pass it to addMethod(verb, integration, { authorizer }) or defaultMethodOptions, or remove it.`);
  }
  const entries: { route: string; scopes: string[] }[] = [];
  for (const m of methods) {
    const where = `${m.route} (${m.resource.node.path})`;
    if (m.path === undefined) {
      problems.push(`${owner}: ${where} uses it, but its resource chain is not one this library can follow to the API's root, so its path cannot be read. `
        + 'Add the method with resource.addMethod(verb, integration, { authorizer }).');
    } else if (hasAuthorizationScopes(m.resource)) {
      problems.push(`${owner}: ${where} sets authorizationScopes, which API Gateway applies only to Cognito authorizers (CDK drops them here), so they would never be checked. `
        + 'Use the authorizer\'s withScopes instead: addMethod(verb, integration, { authorizer: auth.withScopes(\'scope:a\', \'scope:b\') }), which requires all of them.');
    } else {
      entries.push({ route: m.route, scopes: variants.scopesOf(m.authorizerId) });
    }
  }
  const routes = new RouteTable([]);
  if (problems.length === 0) for (const { route, scopes } of entries) routes.add(route, { requiredScopes, scopes, corsPreflight: false });
  return {
    api,
    methods: methods.map((m) => m.resource),
    entries: entries.map(({ route, scopes }) => tableEntry(route, [...requiredScopes, ...scopes])),
    routes,
    problems,
  };
}

/** The RestApi of this app a rendered `RestApiId` refers to (its own id, or an imported copy's, which is the same reference). */
function restApiNamedBy(restApiId: unknown): RestApi | undefined {
  const target = referencedResource(restApiId);
  const api = target?.cfnResourceType === CfnRestApi.CFN_RESOURCE_TYPE_NAME ? target.node.scope : undefined;
  return api instanceof RestApi && api.node.defaultChild === target ? api : undefined;
}

/** Scopes given to `addMethod` (CDK leaves a warning and drops them), or rendered on the method. */
export function hasAuthorizationScopes(resource: CfnResource): boolean {
  const l2 = resource.node.scope;
  const dropped = l2 instanceof Method && l2.node.defaultChild === resource
    && l2.node.metadata.some((m) => m.type === 'aws:cdk:warning' && String(m.data).includes('invalidAuthScope'));
  const scopes = renderedResource(resource)?.properties.AuthorizationScopes;
  return dropped || (Array.isArray(scopes) && scopes.length > 0);
}
