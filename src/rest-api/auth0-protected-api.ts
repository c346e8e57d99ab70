import { Annotations, Aspects, Duration, Lazy } from 'aws-cdk-lib';
import {
  AuthorizationType, CfnStage, CorsOptions, IdentitySource, Integration, Method, MethodOptions,
  RequestAuthorizer, RestApi, RestApiProps, ThrottleSettings,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolveCors, withDpopCorsHeader } from './cors';
import { DirectMethods } from './direct-methods';
import { addAuthGatewayResponses } from './gateway-responses';
import { suppressAcceptedFindings } from './nag-suppressions';
import { addRouteThrottles, stageOptions } from './stage-settings';
import { AuthAlarmOptions, createAuthAlarms } from '../authorizer/alarms';
import { Auth0AuthorizerProps } from '../authorizer/auth0-authorizer-props';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { requireLiteral, validateMemorySize } from '../authorizer/prop-validation';
import { RouteTable } from '../authorizer/route-table';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';

/** Properties of {@link Auth0ProtectedApi}. */
export interface Auth0ProtectedApiProps extends Auth0AuthorizerProps {
  /**
   * Routes that skip the authorizer, written as `'METHOD /path'`, for example `'GET /health'`.
   * Each must also be added with {@link Auth0ProtectedApi.addRoute}, without scopes.
   *
   * @default - none: every route is protected
   */
  readonly publicRoutes?: string[];

  /**
   * CORS for browsers. Preflight `OPTIONS` methods are added without any authorizer, and the
   * 401, 403 and other error responses of API Gateway carry the CORS headers too: the one allowed
   * origin (with `Access-Control-Allow-Credentials` when `allowCredentials` is set), or, with
   * several origins, `Access-Control-Allow-Origin: *` because those responses cannot choose among
   * origins. Several origins together with `allowCredentials` are refused at synth. With `dpop` on,
   * the `DPoP` request header is added to `allowHeaders`.
   *
   * @default - CORS off
   */
  readonly cors?: CorsOptions;

  /**
   * How long API Gateway caches an authorizer decision for a token. `Duration.seconds(0)` turns
   * caching off, so every request invokes the authorizer. At most one hour.
   *
   * API Gateway honours a cached Allow for the whole TTL, without calling the authorizer again:
   * a token keeps being let through until the entry an earlier request created ends, so up to
   * this long after its `exp`, after it is revoked, or after its permissions are removed at the
   * issuer. Where that matters, choose a TTL no longer than you can accept, or
   * `Duration.seconds(0)` to decide every request afresh (one authorizer call each).
   * With `dpop` on, caching is off and a TTL above 0 is refused: every request's proof is checked.
   *
   * @default Duration.minutes(5), or Duration.seconds(0) with `dpop` ALLOWED or REQUIRED
   */
  readonly authorizerCacheTtl?: Duration;

  /**
   * Stage throttling: steady requests per second and burst. Per-route limits go in
   * {@link AddRouteOptions.throttle}.
   *
   * @default - 1,000 requests per second, bursts of 2,000
   */
  readonly throttle?: ThrottleSettings;

  /**
   * Where the stage writes its JSON access logs (request id, principal, route, status, authorizer
   * status and error, latency).
   *
   * @default - a new log group kept for one year
   */
  readonly accessLogGroup?: ILogGroup;

  /**
   * AWS X-Ray tracing for the stage and the authorizer function.
   *
   * @default false
   */
  readonly tracing?: boolean;

  /**
   * Everything else about the REST API. `defaultMethodOptions` must not set an authorizer
   * (this construct places its own on each protected route), and CORS belongs in `cors`.
   *
   * @default - a REST API named after this construct
   */
  readonly restApiProps?: RestApiProps;
}

/** Options for {@link Auth0ProtectedApi.addRoute}. */
export interface AddRouteOptions {
  /**
   * Scopes this route requires, in addition to the API's `requiredScopes`. A token must hold all of them.
   *
   * @default - only the API's `requiredScopes`
   */
  readonly scopes?: string[];

  /**
   * Further method options (request parameters, method responses, API key, ...). Authorization
   * is set by this construct and must not be given here.
   *
   * @default - none
   */
  readonly methodOptions?: MethodOptions;

  /**
   * Throttling for this route alone, instead of the stage's.
   *
   * @default - the stage's throttling
   */
  readonly throttle?: ThrottleSettings;
}

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

  /** Where the stage writes its JSON access logs. */
  public readonly accessLogGroup: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly cors?: CorsOptions;
  private readonly routes: RouteTable;
  private readonly tracing: boolean;
  private readonly code = new AuthorizerCode();
  private readonly protectedMethods: Method[] = [];
  private readonly publicMethods: Method[] = [];
  private readonly directMethods: DirectMethods;
  private authorizer?: RequestAuthorizer;

  constructor(scope: Construct, id: string, props: Auth0ProtectedApiProps) {
    super(scope, id);
    this.settings = resolveTokenSettings(this, props);
    this.routes = new RouteTable(props.publicRoutes ?? []);
    this.cors = withDpopCorsHeader(resolveCors(props.cors, props.restApiProps), this.settings.dpop);

    this.tracing = props.tracing ?? false;
    this.accessLogGroup = props.accessLogGroup ?? new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const deployOptions = stageOptions({
      userOptions: props.restApiProps?.deployOptions,
      accessLogGroup: this.accessLogGroup,
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
    this.url = this.restApi.url;
    this.directMethods = new DirectMethods(this.restApi);
    addAuthGatewayResponses(this.restApi, this.cors, this.settings.dpop);
    addRouteThrottles(this.restApi.deploymentStage.node.defaultChild as CfnStage, () => this.routes.throttles());

    const memorySize = validateMemorySize(props.authorizerMemorySize ?? 256);
    const authorizer = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize,
      tracing: this.tracing,
    });
    this.authorizerLogGroup = authorizer.logGroup;
    this.authorizerFunction = authorizer.fn;

    // The route table is final only once the app is complete: write the configuration then.
    Aspects.of(this).add(new StageAuthorizerAspect(this, () => this.stageAuthorizer()));
    this.node.addValidation({ validate: () => this.routes.unaddedPublicRoutes() });
    this.node.addValidation({ validate: () => this.directMethods.problems() });
  }

  /**
   * Adds CloudWatch alarms: authorizer errors (failures that are not a bad token), the API's 5XX
   * rate, and its p99 latency. They have no actions; add yours with `alarm.addAlarmAction(...)`.
   */
  public addAlarms(options: AuthAlarmOptions = {}): Alarm[] {
    return createAuthAlarms(this, this.restApi, this.authorizerLogGroup, options);
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
    if (this.code.isStaged) {
      throw new Error(`addRoute: route "${route}" was added after the app was synthesized. Add every route before synthesis.`);
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
    this.directMethods.addRouted(method);
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
  }

  /** Every protected route added so far, as `'METHOD /path'`. */
  public get protectedRoutes(): string[] {
    return this.routes.keys(false);
  }

  /** Every public route added so far, as `'METHOD /path'`. */
  public get publicRoutes(): string[] {
    return this.routes.keys(true);
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
    });
  }
}
