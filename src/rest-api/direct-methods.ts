import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnMethod, CfnResource, Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { isCfnResourceOfType, refersToApi } from '../authorizer/api-references';

/**
 * Methods of the construct's REST API that did not come through `addRoute`.
 *
 * Such a method bypasses the route table: it has no authorizer unless its author gave it one,
 * and the authorizer's configuration does not know it, so even an authorizer attached to it later
 * would deny it as an unknown route. Rather than attach one silently, synthesis fails and names
 * the method, unless it is a CORS preflight or its owner opened it on purpose.
 *
 * `restApi.methods` lists only the methods added through `restApi` itself. A method reaches the
 * same REST API in the deployed account through any `AWS::ApiGateway::Method` whose `RestApiId` is
 * this API: an L1 `CfnMethod`, or a method added on an imported copy
 * (`RestApi.fromRestApiAttributes`), which is how CDK splits an API across nested stacks. So the
 * check looks at every method in the app, nested stacks and other stacks included.
 */
export class DirectMethods {
  private readonly routed = new Set<Method>();
  private readonly allowed = new Map<Method, string>();

  constructor(private readonly api: RestApi) {}

  /** Records a method that `addRoute` created. */
  public addRouted(method: Method): void {
    this.routed.add(method);
  }

  /** Accepts a method added directly, with the reason it stays outside the authorizer. */
  public allow(method: Method, reason: string): void {
    const name = describe(method);
    if (method.api !== this.api && !this.isOurs(cfnOf(method))) {
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

  /** One message per method of this REST API, anywhere in the app, that is neither routed, a CORS preflight nor allowed. */
  public problems(): string[] {
    // restApi's own methods first, in the order they were added, as before.
    const problems = this.api.methods.filter((m) => this.isUnaccepted(m)).map((m) => directMethodProblem(describe(m), 'restApi', authorizationOf(m)));
    const ownCfn = new Set<IConstruct>(this.api.methods.map(cfnOf));
    for (const cfn of this.api.node.root.node.findAll()) {
      if (ownCfn.has(cfn) || !isCfnMethod(cfn) || !this.isOurs(cfn)) continue;
      const method = methodOwning(cfn);
      if (method !== undefined) {
        if (this.isUnaccepted(method)) problems.push(directMethodProblem(describe(method), `an imported copy of the REST API (${method.node.path})`, authorizationOf(method)));
      } else {
        problems.push(l1MethodProblem(cfn, this.pathOf(cfn.resourceId)));
      }
    }
    return problems;
  }

  private isUnaccepted(method: Method): boolean {
    return !this.routed.has(method) && !this.allowed.has(method) && !isCorsPreflight(method);
  }

  /** Whether a method's `RestApiId` is this construct's REST API, wherever the method is (see api-references.ts). */
  private isOurs(cfn: CfnMethod): boolean {
    const apiResource = this.api.node.defaultChild!;
    return refersToApi(cfn.restApiId, cfn, { apiId: this.api.restApiId, apiResource, idAttribute: 'RestApiId' });
  }

  /** `/admin/users` from the chain of `AWS::ApiGateway::Resource` parents, or undefined where a link is not a reference CDK can follow. */
  private pathOf(resourceId: string): string | undefined {
    const parts: string[] = [];
    let id = resourceId;
    // Bounded: a resource chain in one API cannot be longer than API Gateway's path limits; a cycle stops here.
    for (let depth = 0; depth < 128; depth++) {
      if (id === this.api.restApiRootResourceId) return `/${parts.reverse().join('/')}`;
      const resource = referencedApiResource(id);
      if (resource === undefined || typeof resource.pathPart !== 'string' || Token.isUnresolved(resource.pathPart)) return undefined;
      parts.push(resource.pathPart);
      id = resource.parentId;
    }
    return undefined;
  }
}

/** The message for a method that is neither routed, a CORS preflight nor allowed, with the three fixes. */
function directMethodProblem(name: string, where: string, authorization: string): string {
  return `${name} was added directly on ${where} (authorization ${authorization}), so this construct's authorizer does not protect it `
    + `and its route table does not know it. Add it with api.addRoute('${name}', integration) to protect it; `
    + `to open it, list '${name}' in publicRoutes and add it with addRoute; or, if it is deliberately left to its own authorization, `
    + 'call api.allowDirectMethod(method, reason).';
}

/** The message for an L1 `CfnMethod`: allowDirectMethod takes only an L2 `Method`, so that is part of the fix. */
function l1MethodProblem(cfn: CfnMethod, path: string | undefined): string {
  const stack = Stack.of(cfn);
  const verb = String(stack.resolve(cfn.httpMethod));
  const name = `${verb} ${path ?? '(path not known)'}`;
  const route = path === undefined ? `${verb} /path` : name;
  return `${name} (CfnMethod ${cfn.node.path}) was added directly on the REST API (authorization ${stack.resolve(cfn.authorizationType) ?? 'NONE'}), `
    + 'so this construct\'s authorizer does not protect it and its route table does not know it. '
    + `Remove it and add it with api.addRoute('${route}', integration) to protect it, or with addRoute and publicRoutes to open it; `
    + 'or, if it is deliberately left to its own authorization, create it as a Method (not a CfnMethod) and call api.allowDirectMethod(method, reason).';
}

/** The `AWS::ApiGateway::Resource` an id refers to, when the id is exactly a CDK reference to one. */
function referencedApiResource(id: string): CfnResource | undefined {
  const fragments = Tokenization.reverseString(id);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (!(token instanceof Reference)) return undefined;
  const target = token.target;
  if (!isCfnResourceOfType(target, CfnResource.CFN_RESOURCE_TYPE_NAME)) return undefined;
  return target as CfnResource;
}

/** By resource type rather than `instanceof`: an app can load more than one copy of aws-cdk-lib. */
function isCfnMethod(construct: IConstruct): construct is CfnMethod {
  return isCfnResourceOfType(construct, CfnMethod.CFN_RESOURCE_TYPE_NAME);
}

/** The L2 `Method` whose resource `cfn` is, if any. */
function methodOwning(cfn: CfnMethod): Method | undefined {
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

function authorizationOf(method: Method): string {
  return Stack.of(method).resolve(cfnOf(method).authorizationType) ?? 'NONE';
}

/**
 * The `OPTIONS` method CDK's `addCorsPreflight` adds to a resource with CORS options: a MOCK
 * integration that answers the preflight itself and never reaches a backend.
 */
function isCorsPreflight(method: Method): boolean {
  if (method.httpMethod !== 'OPTIONS' || method.node.id !== 'OPTIONS' || method.resource.defaultCorsPreflightOptions === undefined) return false;
  const integration = Stack.of(method).resolve(cfnOf(method).integration) as { type?: string } | undefined;
  return integration?.type === 'MOCK';
}
