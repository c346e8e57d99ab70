import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeRendered, mentions } from './rendered-references';
import { RenderedResource, renderedResourcesOfType } from './rendered-resources';

/**
 * Which authorizer resources are the library's own, and who else may invoke its function. An
 * authorizer function of this library knows only the routes its construct or standalone authorizer
 * collected; behind any other authorizer (CDK's `TokenAuthorizer`, `RequestAuthorizer`,
 * `HttpLambdaAuthorizer`, a raw `CfnAuthorizer`, one in another app) it would deny every request as
 * an unknown route, or answer for routes whose policy and cache guarantees it was never asked to
 * keep. So each library construct declares its own authorizer resources here, and synthesis fails
 * for any other authorizer resource in the app whose rendered `AuthorizerUri` can call a library
 * function (or a version or alias of it), and for any invoke permission on it other than the one
 * that lets API Gateway call it from one of its own authorizers.
 */

const AUTHORIZER_TYPES = ['AWS::ApiGateway::Authorizer', 'AWS::ApiGatewayV2::Authorizer'];
const PERMISSION_TYPE = 'AWS::Lambda::Permission';
/** Resources through which a function is invoked under another name. */
const FUNCTION_NAME_TYPES = ['AWS::Lambda::Version', 'AWS::Lambda::Alias'];

/** Authorizer resource → the function resource it was declared for. */
const own = new WeakMap<CfnResource, CfnResource>();
/** Function resource → the authorizer resources declared its own. */
const ownByFunction = new WeakMap<CfnResource, Set<CfnResource>>();

/**
 * Declares `authorizer` (an `AWS::ApiGateway::Authorizer` or `AWS::ApiGatewayV2::Authorizer`) one
 * of the library's own, for the function `fn` (an L2 function or its `AWS::Lambda::Function`).
 */
export function markOwnAuthorizer(authorizer: CfnResource, fn: IConstruct): void {
  const target = functionResourceOf(fn);
  own.set(authorizer, target);
  const authorizers = ownByFunction.get(target) ?? new Set();
  authorizers.add(authorizer);
  ownByFunction.set(target, authorizers);
}

/** Whether `authorizer` was declared the library's own for `fn`. */
export function isOwnAuthorizer(authorizer: CfnResource, fn: IConstruct): boolean {
  return own.get(authorizer) === functionResourceOf(fn);
}

/**
 * One message per authorizer resource anywhere in the app, as rendered, that can call `fn` and is
 * not one the library declared its own for it, and per invoke permission on `fn` that lets anyone
 * but one of its own authorizers call it.
 *
 * @param fn the library's authorizer function
 * @param owner the construct path of the construct that owns `fn`, for messages
 */
export function foreignAuthorizerProblems(fn: IConstruct, owner: string): string[] {
  const target = functionResourceOf(fn);
  const names = namesOf(target);
  const calls = (value: unknown, consumer: IConstruct) => names.some((name) => mentions(value, consumer, name));
  const authorizers = AUTHORIZER_TYPES.flatMap((type) => renderedResourcesOfType(target, type))
    .filter((a) => !isOwnAuthorizer(a.resource, target) && calls(a.properties.AuthorizerUri, a.resource))
    .map((a) => `${a.type} ${a.resource.node.path} calls the authorizer function of ${owner} (${target.node.path}), which decides only the routes `
      + 'its own construct added: behind another authorizer it would deny every request, and no check would keep its guarantees. '
      + `${SUPPORTED_WAYS} Remove this authorizer.`);
  const permissions = renderedResourcesOfType(target, PERMISSION_TYPE)
    .filter((p) => calls(p.properties.FunctionName, p.resource) && !isOwnAuthorizerPermission(p, target))
    .map((p) => `${p.type} ${p.resource.node.path} lets ${describeRendered(p.properties.Principal)} invoke the authorizer function of ${owner} `
      + `(${target.node.path}) from ${p.properties.SourceArn === undefined ? 'any source' : describeRendered(p.properties.SourceArn)}, `
      + 'not only this construct\'s own authorizer: another authorizer, in this app or not, could call it for routes it does not know. '
      + `${SUPPORTED_WAYS} Remove the permission (grantInvoke, addPermission, addFunctionUrl or a CfnPermission).`);
  return [...authorizers, ...permissions];
}

const SUPPORTED_WAYS = 'Protect routes in one of the supported ways: add them with the construct\'s addRoute; hand your existing API to the construct '
  + '(the restApi or httpApi prop); or use the standalone Auth0RestAuthorizer or Auth0HttpAuthorizer as the authorizer of methods '
  + 'and routes you wire yourself.';

/**
 * The permission CDK adds for one of the function's own authorizers: API Gateway as principal, and
 * a source ARN that names that authorizer ("arn:aws:execute-api:region:account:api-id/authorizers/authorizer-id")
 * with no wildcard that would let other authorizers match.
 */
function isOwnAuthorizerPermission(permission: RenderedResource, fn: CfnResource): boolean {
  const p = permission.properties;
  const sourceArn = p.SourceArn;
  const literals: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') literals.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collect);
  };
  collect(sourceArn);
  return p.Principal === 'apigateway.amazonaws.com'
    && [...ownByFunction.get(fn) ?? []].some((authorizer) => mentions(sourceArn, permission.resource, authorizer))
    && !literals.some((text) => /[*?]/.test(text));
}

/** The function and every version or alias of it (an alias of a version included), by which it can be invoked. */
function namesOf(fn: CfnResource): CfnResource[] {
  const names = [fn];
  const candidates = FUNCTION_NAME_TYPES.flatMap((type) => renderedResourcesOfType(fn, type));
  // Bounded: each round adds at least one name or stops.
  for (let round = 0; round <= candidates.length; round++) {
    const added = candidates.filter((c) => !names.includes(c.resource) && names.some((n) => mentions(c.properties.FunctionName, c.resource, n)));
    if (added.length === 0) break;
    names.push(...added.map((c) => c.resource));
  }
  return names;
}

function functionResourceOf(fn: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(fn)) return fn;
  const child = fn.node.defaultChild;
  if (child === undefined || !CfnResource.isCfnResource(child)) {
    throw new Error(`${fn.node.path} is not a function this library can track: pass a Lambda function created in this app or its AWS::Lambda::Function resource.`);
  }
  return child;
}
