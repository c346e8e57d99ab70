import { Stack } from 'aws-cdk-lib';
import { CfnMethod, Method, RestApi } from 'aws-cdk-lib/aws-apigateway';

/**
 * Methods of the construct's REST API that did not come through `addRoute`.
 *
 * Such a method bypasses the route table: it has no authorizer unless its author gave it one,
 * and the authorizer's configuration does not know it, so even an authorizer attached to it later
 * would deny it as an unknown route. Rather than attach one silently, synthesis fails and names
 * the method, unless it is a CORS preflight or its owner opened it on purpose.
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
    if (method.api !== this.api) {
      throw new Error(`allowDirectMethod: ${name} belongs to another REST API. Pass a method of this construct's restApi.`);
    }
    if (this.routed.has(method)) {
      throw new Error(`allowDirectMethod: ${name} was added with addRoute and is already decided by the route table (protected, or public through publicRoutes). Only methods added directly on restApi need allowDirectMethod.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`allowDirectMethod: give the reason ${name} is left outside the authorizer, for example "load balancer health check". It is written into the template for reviewers.`);
    }
    this.allowed.set(method, reason);
    (method.node.defaultChild as CfnMethod).addMetadata('cdk-auth0-protected-api:direct-method', reason);
  }

  /** The methods accepted with {@link allow}, with their reasons. */
  public opened(): { method: Method; reason: string }[] {
    return [...this.allowed.entries()].map(([method, reason]) => ({ method, reason }));
  }

  /** One message per method added directly that is neither a CORS preflight nor allowed. */
  public problems(): string[] {
    return this.api.methods
      .filter((m) => !this.routed.has(m) && !this.allowed.has(m) && !isCorsPreflight(m))
      .map((m) => {
        const name = describe(m);
        return `${name} was added directly on restApi (authorization ${authorizationOf(m)}), so this construct's authorizer does not protect it `
          + `and its route table does not know it. Add it with api.addRoute('${name}', integration) to protect it; `
          + `to open it, list '${name}' in publicRoutes and add it with addRoute; or, if it is deliberately left to its own authorization, `
          + 'call api.allowDirectMethod(method, reason).';
      });
  }
}

/** `GET /admin`: how routes are written everywhere in this library. */
function describe(method: Method): string {
  return `${method.httpMethod} ${method.resource.path}`;
}

function authorizationOf(method: Method): string {
  const cfn = method.node.defaultChild as CfnMethod;
  return Stack.of(method).resolve(cfn.authorizationType) ?? 'NONE';
}

/**
 * The `OPTIONS` method CDK's `addCorsPreflight` adds to a resource with CORS options: a MOCK
 * integration that answers the preflight itself and never reaches a backend.
 */
function isCorsPreflight(method: Method): boolean {
  if (method.httpMethod !== 'OPTIONS' || method.node.id !== 'OPTIONS' || method.resource.defaultCorsPreflightOptions === undefined) return false;
  const integration = Stack.of(method).resolve((method.node.defaultChild as CfnMethod).integration) as { type?: string } | undefined;
  return integration?.type === 'MOCK';
}
