import { Annotations, Aspects, CfnResource, Lazy } from 'aws-cdk-lib';
import { AuthorizationType, CfnStage, Cors, CorsOptions, IdentitySource, Integration, Method, RequestAuthorizer, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AddRouteOptions, Auth0ProtectedApiProps } from './auth0-protected-api-props';
import { ensureCloudWatchRole } from './cloudwatch-account';
import { resolveCors, validateCorsForErrorResponses, withDpopCorsHeader } from './cors';
import { DirectMethods } from './direct-methods';
import { addAuthGatewayResponses } from './gateway-responses';
import { addHandoverGatewayResponses } from './handover-gateway-responses';
import { takeOverMethods } from './method-takeover';
import { suppressAcceptedFindings } from './nag-suppressions';
import { checkRestApiHandover, warnIfNoAccessLogs } from './rest-api-handover';
import { ADD_ROUTE_OPTION_KEYS, AUTH0_PROTECTED_API_PROP_KEYS } from './rest-api-known-keys';
import { restRenderedProblems } from './rest-rendered-checks';
import { addRouteThrottles, stageOptions } from './stage-settings';
import { AuthAlarmOptions, createAuthAlarms } from '../authorizer/alarms';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { requireDpopInOwnerCors } from '../authorizer/dpop-settings';
import { AUTH_ALARM_OPTION_KEYS } from '../authorizer/known-prop-keys';
import { markOwnAuthorizer } from '../authorizer/own-authorizers';
import { requireLiteral, validateScopes } from '../authorizer/prop-validation';
import { RouteTable } from '../authorizer/route-table';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';
import { refuseUnknownKeys } from '../authorizer/unknown-keys';

/**
 * A REST API whose routes are protected by Auth0 (or any OpenID Connect issuer) access tokens,
 * checked by a prebuilt Lambda authorizer: 401 for a missing or invalid token, 403 for a valid
 * token lacking a required scope.
 */
export class Auth0ProtectedApi extends Construct {
  /** The REST API. */
  public readonly restApi: RestApi;

  /** The Lambda function that verifies tokens. */
  public readonly authorizerFunction: LambdaFunction;

  /** The URL of the API's deployment stage. */
  public readonly url: string;

  /** Where the authorizer function logs, in JSON. */
  public readonly authorizerLogGroup: ILogGroup;

  /** Where the stage writes its JSON access logs; undefined for a handed-over API, whose stage is its owner's. */
  public readonly accessLogGroup?: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly cors?: CorsOptions;
  private readonly routes: RouteTable;
  private readonly tracing: boolean;
  private readonly code = new AuthorizerCode();
  private readonly protectedMethods: Method[] = [];
  private readonly publicMethods: Method[] = [];
  private readonly directMethods: DirectMethods;
  private authorizer?: RequestAuthorizer;
  private readonly handedOver: boolean;
  private readonly allowedMethods = new Set<Method>();
  private readonly extraScopes = new Map<Method, string[]>();

  constructor(scope: Construct, id: string, props: Auth0ProtectedApiProps) {
    super(scope, id);
    refuseUnknownKeys('Auth0ProtectedApi props', props, AUTH0_PROTECTED_API_PROP_KEYS);
    this.settings = resolveTokenSettings(this, props);
    this.routes = new RouteTable(props.publicRoutes ?? []);

    this.handedOver = props.restApi !== undefined;
    this.tracing = props.tracing ?? false;
    if (props.restApi !== undefined) {
      this.restApi = checkRestApiHandover(props.restApi, { ...props });
      this.cors = this.restApi.root.defaultCorsPreflightOptions;
      if (this.cors) {
        validateCorsForErrorResponses(this.cors);
        requireDpopInOwnerCors('restApi', this.cors.allowHeaders ?? [...Cors.DEFAULT_HEADERS], this.cors.allowCredentials, this.settings.dpop);
      }
    } else {
      this.cors = withDpopCorsHeader(resolveCors(props.cors, props.restApiProps), this.settings.dpop);
      const accessLogGroup = props.accessLogGroup ?? new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
      this.accessLogGroup = accessLogGroup;
      const deployOptions = stageOptions({
        userOptions: props.restApiProps?.deployOptions,
        accessLogGroup,
        throttle: props.throttle,
        tracing: this.tracing,
      });
      if (deployOptions.dataTraceEnabled) {
        Annotations.of(this).addWarningV2('cdk-auth0-protected-api:dataTrace',
          'restApiProps.deployOptions.dataTraceEnabled writes full requests, Authorization headers included, to CloudWatch Logs. Turn it off outside short debugging sessions.');
      }
      this.restApi = new RestApi(this, 'Api', {
        restApiName: this.node.path.replace(/\//g, '-'),
        ...props.restApiProps,
        deployOptions,
        defaultCorsPreflightOptions: this.cors,
      });
      addAuthGatewayResponses(this.restApi, this.cors, this.settings.dpop);
      // A handed-over API's logging, and the account role it needs, stay its owner's.
      ensureCloudWatchRole(this.restApi, props.restApiProps);
    }
    this.url = this.restApi.url;
    this.directMethods = new DirectMethods(this.restApi);
    // A handed-over API's stage is its owner's (addRoute refuses throttle then).
    if (!this.handedOver) addRouteThrottles(this.restApi.deploymentStage.node.defaultChild as CfnStage, () => this.routes.throttles());

    const authorizer = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: props.authorizerMemorySize,
      tracing: this.tracing,
    });
    this.authorizerLogGroup = authorizer.logGroup;
    this.authorizerFunction = authorizer.fn;

    // The route table is final only once the app is complete: write the configuration then.
    Aspects.of(this).add(new StageAuthorizerAspect(this, () => {
      if (this.handedOver && !this.code.isStaged) this.takeOver();
      this.stageAuthorizer();
    }));
    this.node.addValidation({ validate: () => this.routes.unaddedPublicRoutes() });
    this.node.addValidation({
      validate: () => restRenderedProblems(this, {
        directMethods: this.directMethods,
        api: this.restApi,
        authorizer: this.authorizer,
        fn: this.authorizerFunction,
        cacheTtl: this.settings.cacheTtl,
        policyScope: this.routes.policyScope(),
      }),
    });
  }

  /**
   * Adds CloudWatch alarms: authorizer errors (failures that are not a bad token), the API's 5XX
   * rate, and its p99 latency. They have no actions; add yours with `alarm.addAlarmAction(...)`.
   */
  public addAlarms(options: AuthAlarmOptions = {}): Alarm[] {
    refuseUnknownKeys('addAlarms options', options, AUTH_ALARM_OPTION_KEYS);
    return createAuthAlarms(this, this.restApi, { logGroup: this.authorizerLogGroup, functionName: this.authorizerFunction.functionName }, options);
  }

  /**
   * Adds a route. Protected routes get the authorizer and require the API's `requiredScopes`
   * plus `options.scopes`; routes listed in `publicRoutes` get no authorizer.
   *
   * @param route `'METHOD /path'`, for example `'GET /items/{id}'`, `'ANY /files/{proxy+}'`
   * @param integration the backend
   * @returns the API Gateway method
   */
  public addRoute(route: string, integration: Integration, options: AddRouteOptions = {}): Method {
    requireLiteral('route', route);
    refuseUnknownKeys(`addRoute(${JSON.stringify(route)}) options`, options, ADD_ROUTE_OPTION_KEYS);
    if (this.code.isStaged) {
      throw new Error(`addRoute: route "${route}" was added after the app was synthesized. Add every route before synthesis.`);
    }
    if (this.handedOver && options.throttle) {
      throw new Error(`addRoute: route "${route}" sets throttle, but the handed-over restApi's stage is yours. Set its throttling in your RestApi's deployOptions.methodOptions.`);
    }
    const methodOptions = options.methodOptions ?? {};
    if (methodOptions.authorizer || methodOptions.authorizationType || methodOptions.authorizationScopes) {
      throw new Error(`addRoute: route "${route}" sets authorizer, authorizationType or authorizationScopes in methodOptions. This construct sets authorization; use scopes and publicRoutes instead.`);
    }
    const { route: parsed, isPublic } = this.routes.add(route, {
      requiredScopes: this.settings.requiredScopes,
      scopes: options.scopes ?? [],
      throttle: options.throttle,
      corsPreflight: this.cors !== undefined,
    });
    const resource = this.restApi.root.resourceForPath(parsed.path);
    const method = resource.addMethod(parsed.method, integration, isPublic
      ? { ...methodOptions, authorizationType: AuthorizationType.NONE }
      : { ...methodOptions, authorizationType: AuthorizationType.CUSTOM, authorizer: this.requestAuthorizer() });
    (isPublic ? this.publicMethods : this.protectedMethods).push(method);
    this.directMethods.addRouted(method, isPublic ? 'public' : 'protected', parsed.key);
    return method;
  }

  /**
   * Leaves a method you added directly on `restApi` (not with `addRoute`), or on an imported copy
   * of it (`RestApi.fromRestApiAttributes`, for example in a nested stack), as you configured it,
   * without this construct's authorizer. Synthesis otherwise fails for every such method that is
   * not a CORS preflight, so that nothing is reachable unprotected by accident. Use it for a
   * method that is open on purpose or protected by other means (IAM, another authorizer); the
   * reason is written into the template as the method's metadata.
   *
   * @param method a method of `restApi` or of an imported copy of it, added directly
   * @param reason why it stays outside the authorizer, for reviewers of the template
   */
  public allowDirectMethod(method: Method, reason: string): void {
    this.directMethods.allow(method, reason);
    this.allowedMethods.add(method);
  }

  /**
   * Requires scopes, in addition to the API's `requiredScopes`, on a method you added yourself to
   * the handed-over `restApi` (with `addMethod`, `addProxy`, ...): the same as `scopes` in
   * {@link AddRouteOptions} for routes added with `addRoute`. A token must hold all of them.
   *
   * @param method a method of the handed-over `restApi` without authorization of its own
   * @param scopes the scopes it requires
   */
  public requireScopes(method: Method, scopes: string[]): void {
    const name = `${method.httpMethod} ${method.resource.path}`;
    if (!this.handedOver) {
      throw new Error(`requireScopes: ${name}: this construct created its REST API, so every route comes through addRoute. Give scopes there: addRoute(route, integration, { scopes }).`);
    }
    if (method.api !== this.restApi) {
      throw new Error(`requireScopes: ${name} belongs to another REST API. Pass a method of the handed-over restApi.`);
    }
    if (this.protectedMethods.includes(method) || this.publicMethods.includes(method)) {
      throw new Error(`requireScopes: ${name} was added with addRoute. Give its scopes there: addRoute(route, integration, { scopes }).`);
    }
    this.extraScopes.set(method, [...(this.extraScopes.get(method) ?? []), ...validateScopes(`requireScopes(${name})`, scopes)]);
  }

  /** Every protected route added so far, as `'METHOD /path'`. */
  public get protectedRoutes(): string[] {
    return this.routes.keys(false);
  }

  /** Every public route added so far, as `'METHOD /path'`. */
  public get publicRoutes(): string[] {
    return this.routes.keys(true);
  }

  /** Takes over the handed-over API's own methods, once the app is complete (see method-takeover.ts). */
  private takeOver(): void {
    const taken = takeOverMethods({
      api: this.restApi,
      routes: this.routes,
      requiredScopes: this.settings.requiredScopes,
      routed: new Set([...this.protectedMethods, ...this.publicMethods]),
      allowed: this.allowedMethods,
      extraScopes: this.extraScopes,
      authorizer: () => this.requestAuthorizer(),
    });
    for (const method of taken.protectedMethods) this.directMethods.addRouted(method, 'protected', `${method.httpMethod} ${method.resource.path}`);
    for (const method of taken.publicMethods) this.directMethods.addRouted(method, 'public', `${method.httpMethod} ${method.resource.path}`);
    this.protectedMethods.push(...taken.protectedMethods);
    this.publicMethods.push(...taken.publicMethods);
    addHandoverGatewayResponses(this.restApi, this.cors, this.settings.dpop);
    warnIfNoAccessLogs(this, this.restApi);
  }

  /** Created with the first protected route: API Gateway rejects an authorizer no method uses. */
  private requestAuthorizer(): RequestAuthorizer {
    if (!this.authorizer) {
      this.authorizer = new RequestAuthorizer(this, 'RequestAuthorizer', {
        handler: this.authorizerFunction,
        resultsCacheTtl: this.settings.cacheTtl,
        // Decided with the route table: see choosePolicyScope.
        identitySources: [Lazy.string({ produce: () => this.identitySource() })],
      });
      markOwnAuthorizer(this.authorizer.node.defaultChild as CfnResource, this.authorizerFunction);
    }
    return this.authorizer;
  }

  private identitySource(): string {
    const header = IdentitySource.header('Authorization');
    if (this.routes.policyScope() === 'api') return header;
    return [header, IdentitySource.context('httpMethod'), IdentitySource.context('resourcePath')].join(',');
  }

  private stageAuthorizer(): void {
    if (this.code.isStaged) return;
    const config = authorizerConfigOf(this.settings, { policyScope: this.routes.policyScope(), routes: this.routes.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    suppressAcceptedFindings({
      api: this.restApi,
      authorizer: this.authorizerFunction,
      protectedMethods: this.protectedMethods,
      publicMethods: this.publicMethods,
      openedMethods: this.directMethods.opened(),
      tracing: this.tracing,
      ownsApi: !this.handedOver,
    });
  }
}
