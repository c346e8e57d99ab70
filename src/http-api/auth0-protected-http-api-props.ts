import { Duration } from 'aws-cdk-lib';
import { CorsPreflightOptions, HttpApi, HttpApiProps, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Auth0AuthorizerProps } from '../authorizer/auth0-authorizer-props';

/** Properties of {@link Auth0ProtectedHttpApi}: those of `Auth0ProtectedApi` that HTTP APIs have, plus `httpApiProps`. */
export interface Auth0ProtectedHttpApiProps extends Auth0AuthorizerProps {
  /**
   * Routes that skip the authorizer, as route keys: `'GET /health'`, or `'$default'`. Each must also
   * be added with {@link Auth0ProtectedHttpApi.addRoute}, without scopes.
   *
   * @default - none: every route is protected
   */
  readonly publicRoutes?: string[];

  /**
   * The HTTP API's CORS configuration. API Gateway then answers preflight `OPTIONS` requests itself
   * and adds the CORS headers for a listed origin to responses (that origin itself, so several
   * origins with `allowCredentials` are fine; `*` with credentials and the origin `null`, which any
   * sandboxed iframe sends, are refused); `ANY` routes and
   * `$default` get an `OPTIONS` route without authorization so they do not catch the preflight.
   * Unless given, `allowHeaders` is the REST construct's default (`Content-Type`, `X-Amz-Date`,
   * `Authorization`, `X-Api-Key`, `X-Amz-Security-Token`, `X-Amz-User-Agent`) and `allowMethods`
   * every method by name (`OPTIONS`, `GET`, `PUT`, `POST`, `DELETE`, `PATCH`, `HEAD`), so a browser
   * may send the `Authorization` header; explicit values are kept as given, except that with `dpop`
   * on the `DPoP` request header is added to `allowHeaders`.
   *
   * @default - CORS off
   */
  readonly cors?: CorsPreflightOptions;

  /**
   * How long API Gateway caches an authorizer decision, per token and route. `Duration.seconds(0)`
   * turns caching off. At most one hour.
   *
   * API Gateway honours a cached decision for the whole TTL, without calling the authorizer again:
   * a token keeps being let through on a route until the entry an earlier request created ends, so
   * up to this long after its `exp`, after it is revoked, or after its permissions are removed at
   * the issuer. Where that matters, choose a TTL no longer than you can accept, or
   * `Duration.seconds(0)` to decide every request afresh (one authorizer call each).
   * With `dpop` on, caching is off and a TTL above 0 is refused: every request's proof is checked.
   *
   * @default Duration.minutes(5), or Duration.seconds(0) with `dpop` ALLOWED or REQUIRED
   */
  readonly authorizerCacheTtl?: Duration;

  /**
   * Stage throttling: steady requests per second and burst. Per-route limits go in {@link AddHttpRouteOptions.throttle}.
   *
   * @default - 1,000 requests per second, bursts of 2,000
   */
  readonly throttle?: ThrottleSettings;

  /**
   * Where the stage writes its JSON access logs.
   *
   * @default - a new log group kept for one year
   */
  readonly accessLogGroup?: ILogGroup;

  /**
   * An HTTP API you already have (an `HttpApi` defined in this app), to protect instead of
   * creating one. Every route it has, added before or after this construct (`addRoutes`,
   * `new HttpRoute`, a `defaultIntegration`, or {@link Auth0ProtectedHttpApi.addRoute}), gets this
   * construct's authorizer unless it is listed in `publicRoutes`; give a route of yours scopes with
   * {@link Auth0ProtectedHttpApi.requireScopes}. A route you gave other authorization (IAM, JWT,
   * another Lambda authorizer) fails synthesis unless you accept it with
   * {@link Auth0ProtectedHttpApi.allowDirectRoute}. Its stages and CORS stay yours, so
   * `httpApiProps`, `cors`, `throttle` and `accessLogGroup` are refused with it; with CORS on, its
   * `ANY` and `$default` routes get an `OPTIONS` route without authorization. An imported API
   * (`HttpApi.fromHttpApiAttributes`) is refused: its routes cannot be read here.
   *
   * @default - the construct creates an HTTP API
   */
  readonly httpApi?: HttpApi;

  /**
   * Everything else about the HTTP API. It must not set `defaultAuthorizer`,
   * `defaultAuthorizationScopes` (this construct authorizes each route) or `corsPreflight` (use `cors`).
   *
   * @default - an HTTP API named after this construct, with its `$default` stage
   */
  readonly httpApiProps?: HttpApiProps;
}

/** Options for {@link Auth0ProtectedHttpApi.addRoute}. */
export interface AddHttpRouteOptions {
  /**
   * Scopes this route requires, in addition to the API's `requiredScopes`. A token must hold all of them.
   *
   * @default - only the API's `requiredScopes`
   */
  readonly scopes?: string[];

  /**
   * Throttling for this route alone, instead of the stage's.
   *
   * @default - the stage's throttling
   */
  readonly throttle?: ThrottleSettings;
}
