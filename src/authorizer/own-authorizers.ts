import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { referencesIn, renderedResourcesOfType } from './rendered-resources';

/**
 * Which authorizer resources are the library's own. An authorizer function of this library knows
 * only the routes its construct or standalone authorizer collected; behind any other authorizer
 * (CDK's `TokenAuthorizer`, `RequestAuthorizer`, `HttpLambdaAuthorizer`, a raw `CfnAuthorizer`)
 * it would deny every request as an unknown route, or answer for routes whose policy and cache
 * guarantees it was never asked to keep. So each library construct declares its own authorizer
 * resources here, and any other authorizer resource in the app whose rendered `AuthorizerUri`
 * calls a library function fails synthesis.
 */

const AUTHORIZER_TYPES = ['AWS::ApiGateway::Authorizer', 'AWS::ApiGatewayV2::Authorizer'];

/** Authorizer resource → the function resource it was declared for. */
const own = new WeakMap<CfnResource, CfnResource>();

/**
 * Declares `authorizer` (an `AWS::ApiGateway::Authorizer` or `AWS::ApiGatewayV2::Authorizer`) one
 * of the library's own, for the function `fn` (an L2 function or its `AWS::Lambda::Function`).
 */
export function markOwnAuthorizer(authorizer: CfnResource, fn: IConstruct): void {
  own.set(authorizer, functionResourceOf(fn));
}

/** Whether `authorizer` was declared the library's own for `fn`. */
export function isOwnAuthorizer(authorizer: CfnResource, fn: IConstruct): boolean {
  return own.get(authorizer) === functionResourceOf(fn);
}

/**
 * One message per authorizer resource anywhere in the app, as rendered, that calls `fn` and is
 * not one the library declared its own for it.
 *
 * @param fn the library's authorizer function
 * @param owner the construct path of the construct that owns `fn`, for messages
 */
export function foreignAuthorizerProblems(fn: IConstruct, owner: string): string[] {
  const target = functionResourceOf(fn);
  return AUTHORIZER_TYPES.flatMap((type) => renderedResourcesOfType(target, type))
    .filter((a) => !isOwnAuthorizer(a.resource, target) && referencesIn(a.properties.AuthorizerUri).some((r) => r.target === target))
    .map((a) => `${a.type} ${a.resource.node.path} calls the authorizer function of ${owner} (${target.node.path}), which decides only the routes `
      + 'its own construct added: behind another authorizer it would deny every request, and no check would keep its guarantees. '
      + 'Protect routes in one of the supported ways: add them with the construct\'s addRoute; hand your existing API to the construct '
      + '(the restApi or httpApi prop); or use the standalone Auth0RestAuthorizer or Auth0HttpAuthorizer as the authorizer of methods '
      + 'and routes you wire yourself. Remove this authorizer.');
}

function functionResourceOf(fn: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(fn)) return fn;
  const child = fn.node.defaultChild;
  if (child === undefined || !CfnResource.isCfnResource(child)) {
    throw new Error(`${fn.node.path} is not a function this library can track: pass a Lambda function created in this app or its AWS::Lambda::Function resource.`);
  }
  return child;
}
