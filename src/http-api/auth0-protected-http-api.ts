import { Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnRoute, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteIntegration, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AddHttpRouteOptions, Auth0ProtectedHttpApiProps } from './auth0-protected-http-api-props';
import { createHttpApi } from './created-http-api';
import { HttpApiChecks } from './http-api-checks';
import { checkHttpApiHandover, hasCorsConfiguration, ownerCors, warnIfNoHttpAccessLogs } from './http-api-handover';
import { ADD_HTTP_ROUTE_OPTION_KEYS, AUTH0_PROTECTED_HTTP_API_PROP_KEYS } from './http-api-known-keys';
import { suppressHttpApiFindings } from './http-nag-suppressions';
import { httpRenderedProblems } from './http-rendered-checks';
import { constructIdOf, DEFAULT_ROUTE_KEY } from './http-route-key';
import { HttpRouteTable } from './http-route-table';
import { PreflightRoutes } from './preflight-routes';
import { renderedRoutesOf } from './rendered-routes';
import { takeOverRoutes } from './route-takeover';
import { AuthAlarmOptions, createAuthAlarms } from '../authorizer/alarms';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { requireDpopInOwnerCors } from '../authorizer/dpop-settings';
import { externalTemplateProblems, guardedResources } from '../authorizer/external-templates';
import { AUTH_ALARM_OPTION_KEYS } from '../authorizer/known-prop-keys';
import { foreignAuthorizerProblems, markOwnAuthorizer } from '../authorizer/own-authorizers';
import { requireLiteral, validateScopes } from '../authorizer/prop-validation';
import { stackTransformProblems } from '../authorizer/stack-transforms';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';
import { refuseUnknownKeys } from '../authorizer/unknown-keys';

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

  /** Where the stage writes its JSON access logs; undefined for a handed-over API, whose stages are its owner's. */
  public readonly accessLogGroup?: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly corsPreflight: boolean;
  private readonly routes: HttpRouteTable;
  private readonly code = new AuthorizerCode();
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly protectedRoutesAdded: HttpRoute[] = [];
  private readonly publicRoutesAdded: HttpRoute[] = [];
  private readonly preflights: PreflightRoutes;
  private readonly checks: HttpApiChecks;
  private readonly handedOver: boolean;
  private readonly allowedRoutes = new Set<HttpRoute>();
  private readonly extraScopes = new Map<HttpRoute, string[]>();
  private takeoverProblems: string[] = [];

  constructor(scope: Construct, id: string, props: Auth0ProtectedHttpApiProps) {
    super(scope, id);
    refuseUnknownKeys('Auth0ProtectedHttpApi props', props, AUTH0_PROTECTED_HTTP_API_PROP_KEYS);
    this.settings = resolveTokenSettings(this, props);
    this.routes = new HttpRouteTable(props.publicRoutes ?? []);
    this.handedOver = props.httpApi !== undefined;
    if (props.httpApi !== undefined) {
      this.httpApi = checkHttpApiHandover(props.httpApi, { ...props });
      this.corsPreflight = hasCorsConfiguration(this.httpApi);
      if (this.corsPreflight) {
        const cors = ownerCors(this.httpApi);
        requireDpopInOwnerCors('httpApi', cors.allowHeaders, cors.allowCredentials, this.settings.dpop);
      }
    } else {
      const created = createHttpApi(this, props, this.settings.dpop, () => this.routes.throttles());
      this.corsPreflight = props.cors !== undefined;
      this.httpApi = created.httpApi;
      this.accessLogGroup = created.accessLogGroup;
    }
    this.url = this.httpApi.apiEndpoint + '/';

    const authorizer = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: props.authorizerMemorySize,
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

    Aspects.of(this).add(new StageAuthorizerAspect(this, () => {
      if (this.handedOver && !this.code.isStaged) this.takeOver();
      this.stageAuthorizer();
    }));
    this.checks = new HttpApiChecks(this.httpApi);
    this.preflights = new PreflightRoutes(this, this.httpApi, this.routes, this.checks);
    this.node.addValidation({
      validate: () => [
        ...this.routes.unaddedPublicRoutes(),
        // A handed-over API's routes were each decided by the takeover; its stages are its owner's.
        ...(this.handedOver ? this.takeoverProblems : this.checks.problems(new Set(this.routes.authorizerRoutes().map((r) => r.routeKey)))),
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
    refuseUnknownKeys('addAlarms options', options, AUTH_ALARM_OPTION_KEYS);
    if (this.httpApi.defaultStage === undefined) {
      throw new Error('addAlarms: the handed-over httpApi has no default stage, whose metrics the alarms watch. Create the HttpApi with its default stage (createDefaultStage: true).');
    }
    const stage = this.httpApi.defaultStage.stageName;
    return createAuthAlarms(this, { dimensionsMap: { ApiId: this.httpApi.apiId, Stage: stage } },
      { logGroup: this.authorizerLogGroup, functionName: this.authorizerFunction.functionName }, options);
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
    refuseUnknownKeys(`addRoute(${JSON.stringify(route)}) options`, options, ADD_HTTP_ROUTE_OPTION_KEYS);
    if (this.code.isStaged) {
      throw new Error(`addRoute: route "${route}" was added after the app was synthesized. Add every route before synthesis.`);
    }
    if (this.handedOver && options.throttle) {
      throw new Error(`addRoute: route "${route}" sets throttle, but the handed-over httpApi's stages are yours. Set route throttling on your stage (routeSettings of its CfnStage).`);
    }
    if (this.preflights.has(route)) {
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
    const preflights = !added.isPublic && this.corsPreflight ? this.preflights.addFor(added.routeKey, added.method, added.path) : [];
    this.publicRoutesAdded.push(...preflights);
    return [httpRoute, ...preflights];
  }

  /**
   * Leaves a route you added yourself to the handed-over `httpApi` as you configured it (IAM, JWT,
   * another Lambda authorizer), without this construct's authorizer. Synthesis otherwise fails for
   * every route with authorization of its own, so that nothing is decided by an authorizer you did
   * not mean. The reason is written into the template as the route's metadata.
   *
   * @param route a route of the handed-over `httpApi`, added directly
   * @param reason why it stays outside this construct's authorizer, for reviewers of the template
   */
  public allowDirectRoute(route: HttpRoute, reason: string): void {
    const name = `route "${route.node.path}"`;
    if (!this.handedOver) {
      throw new Error(`allowDirectRoute: ${name}: this construct created its HTTP API, so routes come through addRoute; list open ones in publicRoutes.`);
    }
    if (route.httpApi !== this.httpApi) throw new Error(`allowDirectRoute: ${name} belongs to another HTTP API. Pass a route of the handed-over httpApi.`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`allowDirectRoute: give the reason ${name} is left outside the authorizer, for example "machine clients sign with IAM". It is written into the template for reviewers.`);
    }
    this.allowedRoutes.add(route);
    (route.node.defaultChild as CfnRoute).addMetadata('cdk-auth0-protected-api:direct-route', reason);
  }

  /**
   * Requires scopes, in addition to the API's `requiredScopes`, on a route you added yourself to the
   * handed-over `httpApi` (with `addRoutes` or `new HttpRoute`): the same as `scopes` in
   * {@link AddHttpRouteOptions} for routes added with `addRoute`. A token must hold all of them.
   *
   * @param route a route of the handed-over `httpApi` without authorization of its own
   * @param scopes the scopes it requires
   */
  public requireScopes(route: HttpRoute, scopes: string[]): void {
    const name = `route "${route.node.path}"`;
    if (!this.handedOver) {
      throw new Error(`requireScopes: ${name}: this construct created its HTTP API, so every route comes through addRoute. Give scopes there: addRoute(route, integration, { scopes }).`);
    }
    if (route.httpApi !== this.httpApi) throw new Error(`requireScopes: ${name} belongs to another HTTP API. Pass a route of the handed-over httpApi.`);
    if (this.protectedRoutesAdded.includes(route) || this.publicRoutesAdded.includes(route)) {
      throw new Error(`requireScopes: ${name} was added with addRoute. Give its scopes there: addRoute(route, integration, { scopes }).`);
    }
    this.extraScopes.set(route, [...(this.extraScopes.get(route) ?? []), ...validateScopes(`requireScopes(${name})`, scopes)]);
  }

  /** Every protected route added so far, as route keys. */
  public get protectedRoutes(): string[] {
    return this.routes.keys(false);
  }

  /** Every public route added so far, as route keys (CORS preflight routes not included). */
  public get publicRoutes(): string[] {
    return this.routes.keys(true);
  }

  /** Takes over the handed-over API's own routes, once the app is complete (see route-takeover.ts). */
  private takeOver(): void {
    const own = new Set<IConstruct>([...this.protectedRoutesAdded, ...this.publicRoutesAdded].map((r) => r.node.defaultChild!));
    const taken = takeOverRoutes({
      scope: this,
      api: this.httpApi,
      routes: this.routes,
      requiredScopes: this.settings.requiredScopes,
      own,
      allowed: this.allowedRoutes,
      extraScopes: this.extraScopes,
      authorizer: this.authorizer,
    });
    this.protectedRoutesAdded.push(...taken.protectedRoutes);
    this.publicRoutesAdded.push(...taken.publicRoutes);
    // Recorded as the construct's own, so the rendered checks find its authorizer through them.
    for (const route of taken.protectedRoutes) this.checks.addOwn(route, 'protected', String(Stack.of(route).resolve((route.node.defaultChild as CfnRoute).routeKey)));
    if (this.checks.authorizer) markOwnAuthorizer(this.checks.authorizer, this.authorizerFunction);
    this.takeoverProblems = taken.problems;
    if (this.corsPreflight) {
      for (const key of taken.catchAllKeys) {
        const parsed = key === DEFAULT_ROUTE_KEY ? undefined : { method: key.split(' ')[0], path: key.split(' ')[1] };
        this.publicRoutesAdded.push(...this.preflights.addFor(key, parsed?.method, parsed?.path));
      }
    }
    warnIfNoHttpAccessLogs(this, this.httpApi);
  }

  private stageAuthorizer(): void {
    if (this.code.isStaged) return;
    // HTTP API decisions are per route key (httpRoutes); the REST route table stays empty.
    const config = authorizerConfigOf(this.settings, { policyScope: 'route', routes: [], httpRoutes: this.routes.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    const preflight = this.preflights.responder;
    if (preflight) dependOnPolicyOnly(preflight);
    suppressHttpApiFindings({
      authorizer: this.authorizerFunction,
      publicRoutes: this.publicRoutesAdded,
      protectedRoutes: this.protectedRoutesAdded,
      preflight,
    });
  }
}
