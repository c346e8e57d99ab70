import { Duration } from 'aws-cdk-lib';
import { CorsPreflightOptions, HttpApiProps, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';

/** Properties of {@link Auth0ProtectedHttpApi}: those of `Auth0ProtectedApi` that HTTP APIs have, plus `httpApiProps`. */
export interface Auth0ProtectedHttpApiProps {
  /**
   * Your Auth0 tenant domain, for example `acme.us.auth0.com`, or a custom domain. The issuer
   * becomes `https://{domain}/` and the keys are read from `https://{domain}/.well-known/jwks.json`.
   *
   * @default - none; then `issuer` is required
   */
  readonly domain?: string;

  /** The API identifier tokens must be issued for: the `aud` claim, for example `https://api.acme.com`. */
  readonly audience: string;

  /**
   * The exact `iss` claim of accepted tokens, for any OpenID Connect provider. Compared exactly, trailing slash included.
   *
   * @default `https://{domain}/`
   */
  readonly issuer?: string;

  /**
   * Where the issuer publishes its signing keys.
   *
   * @default `https://{domain}/.well-known/jwks.json`, or `{issuer}/.well-known/jwks.json` without a domain
   */
  readonly jwksUri?: string;

  /**
   * Scopes every protected route requires, in addition to the route's own `scopes`. Granted scopes
   * are read from the token's `scope`, `scp` and Auth0 RBAC `permissions` claims; all are required.
   *
   * @default - none: a valid token suffices where a route names no scopes
   */
  readonly requiredScopes?: string[];

  /**
   * Routes that skip the authorizer, as route keys: `'GET /health'`, or `'$default'`. Each must also
   * be added with {@link Auth0ProtectedHttpApi.addRoute}, without scopes.
   *
   * @default - none: every route is protected
   */
  readonly publicRoutes?: string[];

  /**
   * The HTTP API's CORS configuration. API Gateway then answers preflight `OPTIONS` requests itself
   * and adds the CORS headers to every response, 401 and 403 included; `ANY` routes and `$default`
   * get an `OPTIONS` route without authorization so they do not catch the preflight.
   *
   * @default - CORS off
   */
  readonly cors?: CorsPreflightOptions;

  /**
   * How long API Gateway caches an authorizer decision, per token and route. `Duration.seconds(0)`
   * turns caching off. At most one hour.
   *
   * @default Duration.minutes(5)
   */
  readonly authorizerCacheTtl?: Duration;

  /**
   * JWS algorithms accepted on tokens. Auth0 signs access tokens with RS256.
   *
   * @default ['RS256']
   */
  readonly algorithms?: string[];

  /**
   * Allowed clock skew when checking `exp` and `nbf`. At most five minutes.
   *
   * @default Duration.seconds(5)
   */
  readonly clockTolerance?: Duration;

  /**
   * Custom claims passed to backends in the authorizer context (`event.requestContext.authorizer.lambda`):
   * context key → claim name. Values that are not strings, numbers or booleans arrive as JSON text.
   *
   * @default - only `sub` and `scope`
   */
  readonly contextClaims?: { [contextKey: string]: string };

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
   * Memory of the authorizer function, in MB.
   *
   * @default 256
   */
  readonly authorizerMemorySize?: number;

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
