import { Duration } from 'aws-cdk-lib';
import { CorsOptions, MethodOptions, RestApi, RestApiProps, ThrottleSettings } from 'aws-cdk-lib/aws-apigateway';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Auth0AuthorizerProps } from '../authorizer/auth0-authorizer-props';

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
   * origins. Refused at synth: several origins together with `allowCredentials`, `*` with
   * `allowCredentials`, and the origin `null` (any sandboxed iframe sends it). With `dpop` on, the
   * `DPoP` request header is added to `allowHeaders`.
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
   * A REST API you already have (a `RestApi` or `LambdaRestApi` defined in this app), to protect
   * instead of creating one. Every method it has, added before or after this construct, through
   * `addResource`/`addMethod`/`addProxy` or {@link Auth0ProtectedApi.addRoute}, gets this
   * construct's authorizer unless it is listed in `publicRoutes` or is a CORS preflight; give a
   * method of yours scopes with {@link Auth0ProtectedApi.requireScopes}. A method you gave another
   * authorization (IAM, Cognito, another authorizer) fails synthesis unless you accept it with
   * {@link Auth0ProtectedApi.allowDirectMethod}. Its stage (logging, throttling, tracing) and CORS
   * stay yours, so `restApiProps`, `cors`, `throttle`, `accessLogGroup` and `tracing` are refused
   * with it; the construct adds its 401/403 gateway responses where you have none of that type.
   * Imported APIs and `SpecRestApi` are refused: their methods cannot be read here.
   *
   * @default - the construct creates a REST API
   */
  readonly restApi?: RestApi;

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
