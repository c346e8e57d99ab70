import { CfnResource } from 'aws-cdk-lib';
import { CfnMethod, Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { renderedMethodsOf, restApiReference } from './rendered-methods';
import { refersToApi } from '../authorizer/api-references';
import { overridesNote, RenderedRoute } from '../authorizer/rendered-routes';

/** What a method `addRoute` created must still be when it deploys. */
interface RoutedMethod {
  readonly kind: 'protected' | 'public';
  /** `'GET /things'`, as given to addRoute. */
  readonly route: string;
}

/** Properties whose override is named in messages. */
const AUTHORIZATION_PROPERTIES = ['AuthorizationType', 'AuthorizerId', 'HttpMethod', 'ResourceId', 'Integration'];

/**
 * Every method of the construct's REST API, as CloudFormation will deploy it (see
 * rendered-resources.ts), is one of: a method `addRoute` created, still with its route and its
 * authorization (this construct's authorizer, or none for a public route); a CORS preflight CDK
 * added, still a MOCK integration without authorization; or a method its owner accepted with
 * `allowDirectMethod`. Anything else fails synthesis, named with the fix.
 *
 * A method that did not come through `addRoute` bypasses the route table: it has no authorizer
 * unless its author gave it one, and the authorizer's configuration does not know it, so even an
 * authorizer attached to it later would deny it as an unknown route. A method reaches the same
 * REST API in the deployed account through any `AWS::ApiGateway::Method` whose `RestApiId` is this
 * API: an L2 method, an L1 `CfnMethod`, a generic `CfnResource` of that type, or a method added
 * on an imported copy (`RestApi.fromRestApiAttributes`), which is how CDK splits an API across
 * nested stacks. So the check reads every method in the app, nested stacks and other stacks included.
 */
export class DirectMethods {
  private readonly routed = new Map<Method, RoutedMethod>();
  private readonly allowed = new Map<Method, string>();

  constructor(private readonly api: RestApi) {}

  /** Records a method that `addRoute` created. */
  public addRouted(method: Method, kind: RoutedMethod['kind'], route: string): void {
    this.routed.set(method, { kind, route });
  }

  /** Accepts a method added directly, with the reason it stays outside the authorizer. */
  public allow(method: Method, reason: string): void {
    const name = describe(method);
    if (method.api !== this.api && !refersToApi(cfnOf(method).restApiId, cfnOf(method), restApiReference(this.api))) {
      throw new Error(`allowDirectMethod: ${name} belongs to another REST API. Pass a method of this construct's restApi.`);
    }
    if (this.routed.has(method)) {
      throw new Error(`allowDirectMethod: ${name} was added with addRoute and is already decided by the route table (protected, or public through publicRoutes). Only methods added directly on restApi need allowDirectMethod.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`allowDirectMethod: give the reason ${name} is left outside the authorizer, for example "load balancer health check". It is written into the template for reviewers.`);
    }
    this.allowed.set(method, reason);
    cfnOf(method).addMetadata('cdk-auth0-protected-api:direct-method', reason);
  }

  /** The methods accepted with {@link allow}, with their reasons. */
  public opened(): { method: Method; reason: string }[] {
    return [...this.allowed.entries()].map(([method, reason]) => ({ method, reason }));
  }

  /**
   * One message per method of this REST API, anywhere in the app, as rendered, that is not what
   * this construct created or accepted.
   *
   * @param authorizer this construct's `AWS::ApiGateway::Authorizer`, once a protected route created it
   */
  public problems(authorizer: CfnResource | undefined): string[] {
    // restApi's own methods first, in the order they were added, then the rest of the app.
    const order = new Map(this.api.methods.map((m, i) => [cfnOf(m) as CfnResource, i]));
    const methods = renderedMethodsOf(this.api, authorizer)
      .map((m, i) => ({ m, rank: order.get(m.resource) ?? this.api.methods.length + i }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ m }) => m);
    return methods.map((m) => this.problemOf(m)).filter((p): p is string => p !== undefined);
  }

  private problemOf(m: RenderedRoute): string | undefined {
    const method = methodOwning(m.resource);
    const routed = method && this.routed.get(method);
    if (routed) return routedProblem(m, routed);
    if (method && this.allowed.has(method)) return undefined;
    if (method && isCorsPreflightOrigin(method)) return preflightProblem(m, method);
    if (method) {
      const where = this.api.methods.includes(method) ? 'restApi' : `an imported copy of the REST API (${method.node.path})`;
      return directMethodProblem(m.route, where, m.authorizationType);
    }
    return l1MethodProblem(m);
  }
}

/** A method addRoute created must deploy as the route it was added as, with the authorization it was given. */
function routedProblem(m: RenderedRoute, routed: RoutedMethod): string | undefined {
  const authorizationKept = routed.kind === 'public' ? m.authorizationType === 'NONE' : m.usesAuthorizer;
  if (m.route === routed.route && authorizationKept) return undefined;
  const expected = routed.kind === 'public' ? 'AuthorizationType NONE' : 'AuthorizationType CUSTOM with this construct\'s authorizer';
  const other = m.authorizationType === 'CUSTOM' && !m.usesAuthorizer ? ', another authorizer' : '';
  return `${routed.route} (${m.resource.node.path}) was added by addRoute as a ${routed.kind} route (${expected}) and deploys as ${m.route} `
    + `with AuthorizationType ${m.authorizationType}${other}${overridesNote(m, AUTHORIZATION_PROPERTIES)}. `
    + 'Remove the escape-hatch edit (addPropertyOverride, addOverride, or an L1 property of the method or its resource); '
    + 'add other routes with addRoute, listing public ones in publicRoutes.';
}

/**
 * CDK's CORS preflight answers from a MOCK integration without authorization: it never reaches a
 * backend. Redirected to a backend it would pass unauthenticated `OPTIONS` requests to it.
 */
function preflightProblem(m: RenderedRoute, method: Method): string | undefined {
  const route = `OPTIONS ${method.resource.path}`;
  if (m.route === route && m.authorizationType === 'NONE' && m.integrationKind === 'MOCK') return undefined;
  return `${route} (${m.resource.node.path}) is the CORS preflight CDK added for the cors prop, and deploys as ${m.route} `
    + `with integration ${m.integrationKind} and AuthorizationType ${m.authorizationType}${overridesNote(m, AUTHORIZATION_PROPERTIES)}: `
    + 'a preflight that is not a MOCK integration without authorization would reach a backend without a token, or refuse browsers. '
    + 'Remove the escape-hatch edit; set CORS with the cors prop.';
}

/** The message for a method that is neither routed, a CORS preflight nor allowed, with the three fixes. */
function directMethodProblem(name: string, where: string, authorization: string): string {
  return `${name} was added directly on ${where} (authorization ${authorization}), so this construct's authorizer does not protect it `
    + `and its route table does not know it. Add it with api.addRoute('${name}', integration) to protect it; `
    + `to open it, list '${name}' in publicRoutes and add it with addRoute; or, if it is deliberately left to its own authorization, `
    + 'call api.allowDirectMethod(method, reason).';
}

/** The message for an L1 or generic method: allowDirectMethod takes only an L2 `Method`, so that is part of the fix. */
function l1MethodProblem(m: RenderedRoute): string {
  const kind = m.resource instanceof CfnMethod && m.type === CfnMethod.CFN_RESOURCE_TYPE_NAME ? 'CfnMethod' : m.type;
  const route = m.path === undefined ? `${m.route.split(' ')[0]} /path` : m.route;
  return `${m.route} (${kind} ${m.resource.node.path}) was added directly on the REST API (authorization ${m.authorizationType}), `
    + 'so this construct\'s authorizer does not protect it and its route table does not know it. '
    + `Remove it and add it with api.addRoute('${route}', integration) to protect it, or with addRoute and publicRoutes to open it; `
    + 'or, if it is deliberately left to its own authorization, create it as a Method (not a CfnMethod) and call api.allowDirectMethod(method, reason).';
}

/** The L2 `Method` whose resource `cfn` is, if any. */
function methodOwning(cfn: CfnResource): Method | undefined {
  const scope = cfn.node.scope;
  return scope instanceof Method && scope.node.defaultChild === cfn ? scope : undefined;
}

function cfnOf(method: Method): CfnMethod {
  return method.node.defaultChild as CfnMethod;
}

/** `GET /admin`: how routes are written everywhere in this library. */
function describe(method: Method): string {
  return `${method.httpMethod} ${method.resource.path}`;
}

/** The `OPTIONS` method CDK's `addCorsPreflight` adds to a resource with CORS options; what it deploys as is checked separately. */
function isCorsPreflightOrigin(method: Method): boolean {
  return method.httpMethod === 'OPTIONS' && method.node.id === 'OPTIONS' && method.resource.defaultCorsPreflightOptions !== undefined;
}
