import { CfnResource } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HttpApiChecks } from './http-api-checks';
import { createPreflightFunction } from './http-api-preflight';
import { constructIdOf, DEFAULT_ROUTE_KEY } from './http-route-key';
import { HttpRouteTable } from './http-route-table';

/**
 * The `OPTIONS` routes `Auth0ProtectedHttpApi` adds so that CORS preflight never reaches its
 * authorizer: `ANY /path` and `$default` also match `OPTIONS`, so each gets an `OPTIONS` route
 * without authorization (for `$default`, `OPTIONS /{proxy+}` and `OPTIONS /`, which rank above
 * it), answered by one responder function (see http-api-preflight.ts). Routes and function are
 * created under the construct (`Preflight <key>`, `Preflight`, `PreflightIntegration`: construct IDs are API).
 */
export class PreflightRoutes {
  private readonly keys = new Set<string>();
  private integration?: HttpLambdaIntegration;
  private responderFunction?: LambdaFunction;

  constructor(
    private readonly scope: Construct, private readonly api: HttpApi,
    private readonly routes: HttpRouteTable, private readonly checks: HttpApiChecks,
  ) {}

  /** Whether `routeKey` is a preflight route added here. */
  public has(routeKey: string): boolean {
    return this.keys.has(routeKey);
  }

  /** The responder function, once a preflight route needed it. */
  public get responder(): LambdaFunction | undefined {
    return this.responderFunction;
  }

  /** The preflight routes a protected route needs (none unless it is `ANY /path` or `$default`), each added once. */
  public addFor(routeKey: string, method: string | undefined, path: string | undefined): HttpRoute[] {
    const paths = routeKey === DEFAULT_ROUTE_KEY ? ['/{proxy+}', '/'] : method === 'ANY' && path ? [path] : [];
    const added: HttpRoute[] = [];
    for (const p of paths) {
      const key = `OPTIONS ${p}`;
      if (this.keys.has(key) || this.routes.has(key)) continue;
      if (this.integration === undefined) {
        this.responderFunction = createPreflightFunction(this.scope);
        this.checks.setPreflightFunction(this.responderFunction.node.defaultChild as CfnResource);
        this.integration = new HttpLambdaIntegration('PreflightIntegration', this.responderFunction);
      }
      const route = new HttpRoute(this.scope, `Preflight ${constructIdOf(key)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(p, HttpMethod.OPTIONS),
        integration: this.integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      this.keys.add(key);
      this.checks.addOwn(route, 'preflight', key);
      added.push(route);
    }
    return added;
  }
}
