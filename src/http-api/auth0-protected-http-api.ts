import { Aspects, CfnResource } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteIntegration, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AddHttpRouteOptions, Auth0ProtectedHttpApiProps } from './auth0-protected-http-api-props';
import { HttpApiChecks } from './http-api-checks';
import { withCorsDefaults } from './http-api-cors';
import { createPreflightFunction } from './http-api-preflight';
import { configureHttpStage, DEFAULT_HTTP_THROTTLE } from './http-api-stage';
import { suppressHttpApiFindings } from './http-nag-suppressions';
import { httpRenderedProblems } from './http-rendered-checks';
import { DEFAULT_ROUTE_KEY } from './http-route-key';
import { HttpRouteTable } from './http-route-table';
import { renderedRoutesOf } from './rendered-routes';
import { AuthAlarmOptions, createAuthAlarms } from '../authorizer/alarms';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { externalTemplateProblems, guardedResources } from '../authorizer/external-templates';
import { foreignAuthorizerProblems, markOwnAuthorizer } from '../authorizer/own-authorizers';
import { requireLiteral, validateMemorySize } from '../authorizer/prop-validation';
import { stackTransformProblems } from '../authorizer/stack-transforms';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';

/**
 * An API Gateway HTTP API whose routes are protected by Auth0 (or any OpenID Connect issuer)
 * access tokens, checked by the same prebuilt Lambda authorizer as `Auth0ProtectedApi`: 401 for a
 * missing or invalid token, 403 for a valid token lacking a required scope.
 */
export class Auth0ProtectedHttpApi extends Construct {
  /** The HTTP API. */
  public readonly httpApi: HttpApi;

  /** The Lambda function that verifies tokens. */
  public readonly authorizerFunction: LambdaFunction;

  /** The URL of the API's default stage. */
  public readonly url: string;

  /** Where the authorizer function logs, in JSON. */
  public readonly authorizerLogGroup: ILogGroup;

  /** Where the stage writes its JSON access logs. */
  public readonly accessLogGroup: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly corsPreflight: boolean;
  private readonly routes: HttpRouteTable;
  private readonly code = new AuthorizerCode();
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly protectedRoutesAdded: HttpRoute[] = [];
  private readonly publicRoutesAdded: HttpRoute[] = [];
  private readonly preflightKeys = new Set<string>();
  private preflightIntegration?: HttpLambdaIntegration;
  private readonly checks: HttpApiChecks;

  constructor(scope: Construct, id: string, props: Auth0ProtectedHttpApiProps) {
    super(scope, id);
    this.settings = resolveTokenSettings(this, props);
    this.routes = new HttpRouteTable(props.publicRoutes ?? []);
    checkHttpApiProps(props);
    this.corsPreflight = props.cors !== undefined;

    this.httpApi = new HttpApi(this, 'Api', {
      apiName: this.node.path.replace(/\//g, '-'),
      ...props.httpApiProps,
      corsPreflight: withCorsDefaults(props.cors),
    });
    this.url = this.httpApi.apiEndpoint + '/';
    this.accessLogGroup = props.accessLogGroup ?? new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    configureHttpStage(this.httpApi, this.accessLogGroup, props.throttle ?? DEFAULT_HTTP_THROTTLE, () => this.routes.throttles());

    const authorizer = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: validateMemorySize(props.authorizerMemorySize ?? 256),
      tracing: false,
    });
    this.authorizerLogGroup = authorizer.logGroup;
    this.authorizerFunction = authorizer.fn;
    this.authorizer = new HttpLambdaAuthorizer('RequestAuthorizer', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // The route key is part of the cache key, so a cached decision only ever decides the route
      // it was made for ("By default, API Gateway uses the cached authorizer response for all
      // routes of an API that use the authorizer. To cache responses per route, add
      // $context.routeKey to your authorizer's identity sources": "Control access to HTTP APIs
      // with AWS Lambda authorizers", section "Caching authorizer responses").
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      resultsCacheTtl: this.settings.cacheTtl,
    });

    Aspects.of(this).add(new StageAuthorizerAspect(this, () => this.stageAuthorizer()));
    this.checks = new HttpApiChecks(this.httpApi);
    this.node.addValidation({
      validate: () => [
        ...this.routes.unaddedPublicRoutes(),
        ...this.checks.problems(new Set(this.routes.authorizerRoutes().map((r) => r.routeKey))),
        ...httpRenderedProblems({
          api: this.httpApi,
          authorizer: this.checks.authorizer,
          fn: this.authorizerFunction.node.defaultChild as CfnResource,
          cacheTtl: this.settings.cacheTtl,
        }),
        ...foreignAuthorizerProblems(this.authorizerFunction, this.node.path),
        ...stackTransformProblems([this.httpApi, this.authorizerFunction, ...renderedRoutesOf(this.httpApi).map((r) => r.resource)], 'httpApi'),
        ...externalTemplateProblems(guardedResources(this.httpApi, 'httpApi', this.authorizerFunction)),
      ],
    });
  }

  /**
   * Adds CloudWatch alarms: authorizer errors (failures that are not a bad token), the API's 5XX
   * rate, and its p99 latency. They have no actions; add yours with `alarm.addAlarmAction(...)`.
   */
  public addAlarms(options: AuthAlarmOptions = {}): Alarm[] {
    const stage = this.httpApi.defaultStage!.stageName;
    return createAuthAlarms(this, { dimensionsMap: { ApiId: this.httpApi.apiId, Stage: stage } }, this.authorizerLogGroup, options);
  }

  /**
   * Adds a route. Protected routes get the authorizer and require the API's `requiredScopes`
   * plus `options.scopes`; routes listed in `publicRoutes` get none.
   *
   * @param route a route key: `'GET /items/{id}'`, `'ANY /files/{proxy+}'` or `'$default'`
   * @param integration the backend, for example an `HttpLambdaIntegration` or `HttpUrlIntegration`
   * @returns the route, followed by the CORS preflight routes added for it (an `ANY` route or `$default` with `cors`)
   */
  public addRoute(route: string, integration: HttpRouteIntegration, options: AddHttpRouteOptions = {}): HttpRoute[] {
    requireLiteral('route', route);
    if (this.code.isStaged) {
      throw new Error(`addRoute: route "${route}" was added after the app was synthesized. Add every route before synthesis.`);
    }
    if (this.preflightKeys.has(route)) {
      throw new Error(`addRoute: route "${route}" collides with the CORS preflight route added for an ANY or $default route. Remove the route or the cors prop.`);
    }
    const added = this.routes.add(route, {
      requiredScopes: this.settings.requiredScopes,
      scopes: options.scopes ?? [],
      throttle: options.throttle,
      corsPreflight: this.corsPreflight,
    });
    const routeKey = added.path === undefined ? HttpRouteKey.DEFAULT : HttpRouteKey.with(added.path, added.method as HttpMethod);
    const httpRoute = new HttpRoute(this, `Route ${constructIdOf(added.routeKey)}`, {
      httpApi: this.httpApi,
      routeKey,
      integration,
      authorizer: added.isPublic ? new HttpNoneAuthorizer() : this.authorizer,
    });
    (added.isPublic ? this.publicRoutesAdded : this.protectedRoutesAdded).push(httpRoute);
    this.checks.addOwn(httpRoute, added.isPublic ? 'public' : 'protected', added.routeKey);
    if (this.checks.authorizer) markOwnAuthorizer(this.checks.authorizer, this.authorizerFunction);
    const preflights = !added.isPublic && this.corsPreflight ? this.addPreflightRoutes(added.routeKey, added.method, added.path) : [];
    return [httpRoute, ...preflights];
  }

  /** Every protected route added so far, as route keys. */
  public get protectedRoutes(): string[] {
    return this.routes.keys(false);
  }

  /** Every public route added so far, as route keys (CORS preflight routes not included). */
  public get publicRoutes(): string[] {
    return this.routes.keys(true);
  }

  /**
   * `ANY /path` and `$default` also match `OPTIONS`, so a preflight would reach the authorizer:
   * give them an `OPTIONS` route without authorization (for `$default`, `OPTIONS /{proxy+}` and
   * `OPTIONS /`, which rank above it). See http-api-preflight.ts.
   */
  private addPreflightRoutes(routeKey: string, method: string | undefined, path: string | undefined): HttpRoute[] {
    const paths = routeKey === DEFAULT_ROUTE_KEY ? ['/{proxy+}', '/'] : method === 'ANY' && path ? [path] : [];
    const routes: HttpRoute[] = [];
    for (const p of paths) {
      const key = `OPTIONS ${p}`;
      if (this.preflightKeys.has(key) || this.routes.has(key)) continue;
      if (this.preflightIntegration === undefined) {
        const responder = createPreflightFunction(this);
        this.checks.setPreflightFunction(responder.node.defaultChild as CfnResource);
        this.preflightIntegration = new HttpLambdaIntegration('PreflightIntegration', responder);
      }
      const route = new HttpRoute(this, `Preflight ${constructIdOf(key)}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(p, HttpMethod.OPTIONS),
        integration: this.preflightIntegration,
        authorizer: new HttpNoneAuthorizer(),
      });
      this.preflightKeys.add(key);
      this.checks.addOwn(route, 'preflight', key);
      this.publicRoutesAdded.push(route);
      routes.push(route);
    }
    return routes;
  }

  private stageAuthorizer(): void {
    if (this.code.isStaged) return;
    // HTTP API decisions are per route key (httpRoutes); the REST route table stays empty.
    const config = authorizerConfigOf(this.settings, { policyScope: 'route', routes: [], httpRoutes: this.routes.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    const preflight = this.preflightIntegration ? this.node.tryFindChild('Preflight') as LambdaFunction : undefined;
    if (preflight) dependOnPolicyOnly(preflight);
    suppressHttpApiFindings({
      authorizer: this.authorizerFunction,
      publicRoutes: this.publicRoutesAdded,
      protectedRoutes: this.protectedRoutesAdded,
      preflight,
    });
  }
}

/** A route key as a construct ID (which cannot hold `/`); construct IDs are API, so it depends on the key alone. */
function constructIdOf(routeKey: string): string {
  return routeKey.replace(/\//g, '~1');
}

/**
 * Settings of `httpApiProps` this construct owns, and CORS that would expose credentials to any origin.
 *
 * Unlike the REST construct, several `allowOrigins` together with `allowCredentials` are fine here:
 * an HTTP API's CORS configuration is applied by API Gateway per request, which answers a listed
 * `Origin` with that origin itself and an unlisted one with no CORS headers ("Configure CORS for
 * HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 * There are no fixed-header error responses that would have to say `*` or reflect any origin.
 */
function checkHttpApiProps(props: Auth0ProtectedHttpApiProps): void {
  const api = props.httpApiProps;
  if (api?.defaultAuthorizer || api?.defaultAuthorizationScopes) {
    throw new Error('httpApiProps.defaultAuthorizer: sets a default authorizer or scopes, which would also apply to public routes and CORS preflight. Remove it; this construct authorizes each protected route itself.');
  }
  if (api?.corsPreflight) {
    throw new Error('httpApiProps.corsPreflight: CORS is set there. Set it in cors instead, '
      + 'so ANY and $default routes get their preflight route.');
  }
  if (props.cors?.allowCredentials && (props.cors.allowOrigins ?? []).includes('*')) {
    throw new Error('cors: allowCredentials is true with allowOrigins ["*"], which would let any web page call the API with the user\'s credentials. List the allowed origins, for example ["https://app.example.com"].');
  }
}
