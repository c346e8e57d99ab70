import { Stack } from 'aws-cdk-lib';
import { AuthorizationType, CfnMethod, Method, RequestAuthorizer, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { attachAuthorizer } from './attach-authorizer';
import { hasAuthorizationScopes } from './authorizer-methods';
import { isCorsPreflightMethod } from './cors-preflight';
import { RouteTable } from '../authorizer/route-table';

/** What a handed-over REST API's methods are checked against. */
export interface MethodTakeoverInput {
  readonly api: RestApi;
  readonly routes: RouteTable;
  /** The API's `requiredScopes`. */
  readonly requiredScopes: string[];
  /** Methods `addRoute` created: already decided. */
  readonly routed: ReadonlySet<Method>;
  /** Methods `allowDirectMethod` left to their own authorization. */
  readonly allowed: ReadonlySet<Method>;
  /** Scopes declared with `requireScopes` for methods their owner created. */
  readonly extraScopes: ReadonlyMap<Method, string[]>;
  /** The construct's authorizer, created on first use. */
  readonly authorizer: () => RequestAuthorizer;
}

/** The methods a takeover decided. */
export interface MethodTakeoverResult {
  readonly protectedMethods: Method[];
  readonly publicMethods: Method[];
}

/**
 * Puts the construct's authorizer on every method of a handed-over REST API that has no
 * authorization of its own (`NONE`, CDK's default), whenever it was added: before the construct,
 * after it, through `addResource`/`addMethod`/`addProxy` or `LambdaRestApi`'s proxy. Runs once,
 * when the app is complete, so the route table it fills is final.
 *
 * A method declared in `publicRoutes` stays open; a CORS preflight stays as CDK made it. A method
 * its owner gave another authorization (IAM, Cognito, another authorizer) is left alone here and
 * refused by the direct-method check unless `allowDirectMethod` accepts it: taking it over would
 * silently replace what its owner chose.
 */
export function takeOverMethods(input: MethodTakeoverInput): MethodTakeoverResult {
  const result: MethodTakeoverResult = { protectedMethods: [], publicMethods: [] };
  for (const method of input.api.methods) {
    const key = `${method.httpMethod} ${method.resource.path}`;
    const scopes = input.extraScopes.get(method);
    if (input.routed.has(method)) continue; // requireScopes refuses addRoute's methods itself
    if (input.allowed.has(method) || isCorsPreflightMethod(method)) {
      // Scopes asked for a method the authorizer never sees would be ignored: refuse them.
      if (scopes !== undefined) throw new Error(unprotectedScopesProblem(key, input.allowed.has(method)));
      continue;
    }
    const cfn = method.node.defaultChild as CfnMethod;
    // API Gateway and CDK keep AuthorizationScopes for Cognito authorizers only (see authorizer-methods.ts).
    if (hasAuthorizationScopes(cfn)) {
      throw new Error(`restApi: ${key} was given authorizationScopes, which API Gateway applies only to Cognito authorizers (CDK drops them on any other method), `
        + 'so once this construct\'s authorizer protects it they would never be checked and any valid token would pass. '
        + 'Remove authorizationScopes (from the method or the API\'s defaultMethodOptions) and call requireScopes(method, [...]) instead, which requires all of them.');
    }
    if (!hasNoAuthorization(cfn)) {
      if (scopes !== undefined) {
        throw new Error(`requireScopes: ${key} has its own authorization (${authorizationOf(cfn)}), so this construct's authorizer does not protect it and cannot require scopes on it. `
          + 'Remove its authorization to let the construct take it over, or drop requireScopes for it.');
      }
      continue; // refused by the direct-method check, with the fix
    }
    const { isPublic } = input.routes.add(key, { requiredScopes: input.requiredScopes, scopes: scopes ?? [], corsPreflight: false });
    if (isPublic) {
      result.publicMethods.push(method);
      continue;
    }
    const authorizer = input.authorizer();
    attachAuthorizer(authorizer, input.api);
    cfn.authorizationType = AuthorizationType.CUSTOM;
    cfn.authorizerId = authorizer.authorizerId;
    // CDK hashes each method's properties into the deployment's logical ID when the method is
    // created, before it was taken over: add the change, or a deployed stage would keep serving
    // the method without its authorizer until some other change forced a new deployment.
    input.api.latestDeployment?.addToLogicalId({ 'cdk-auth0-protected-api:protected': key });
    result.protectedMethods.push(method);
  }
  return result;
}

function unprotectedScopesProblem(key: string, allowed: boolean): string {
  const why = allowed
    ? `${key} is accepted with allowDirectMethod, so it keeps its own authorization and is not protected by this construct's authorizer`
    : `${key} is the CORS preflight CDK added, which answers browsers itself and never reaches the authorizer`;
  return `requireScopes: ${why}; the scopes would never be checked. Drop requireScopes for it, or remove its own authorization and allowDirectMethod to let the construct protect it.`;
}

/** NONE (explicit or CDK's default) and no authorizer. */
function hasNoAuthorization(cfn: CfnMethod): boolean {
  return authorizationOf(cfn) === AuthorizationType.NONE && cfn.authorizerId === undefined;
}

function authorizationOf(cfn: CfnMethod): string {
  return String(Stack.of(cfn).resolve(cfn.authorizationType) ?? AuthorizationType.NONE);
}
