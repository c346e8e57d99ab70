import { Duration } from 'aws-cdk-lib';
import { DpopMode } from './dpop-mode';

/**
 * The props `Auth0ProtectedApi` and `Auth0ProtectedHttpApi` share, with the same meaning and the
 * same checks on both: which access tokens pass, and the authorizer function that checks them.
 */
export interface Auth0AuthorizerProps {
  /**
   * Your Auth0 tenant domain (Dashboard → Applications → your application → Settings → Domain),
   * for example `acme.us.auth0.com`, or a custom domain such as `login.acme.com`.
   * `https://acme.us.auth0.com/` is accepted too. The issuer becomes `https://{domain}/` and the
   * keys are read from `https://{domain}/.well-known/jwks.json`.
   *
   * @default - none; then `issuer` is required
   */
  readonly domain?: string;

  /**
   * The API identifier tokens must be issued for: the `aud` claim (Auth0 Dashboard → Applications →
   * APIs → your API → Identifier), for example `https://api.acme.com`.
   */
  readonly audience: string;

  /**
   * The exact `iss` claim of accepted tokens, for any OpenID Connect provider or when it differs
   * from `https://{domain}/`. Compared exactly, trailing slash included.
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
   * Further domains of the same Auth0 tenant, such as custom domains (`login.acme.com`), each
   * written like `domain`. A token may carry `iss` `https://{domain}/` for `domain` or for any of
   * these, compared exactly (trailing slash included); its signature is checked with the tenant's
   * one key set (`jwksUri`). A token from a domain not listed is refused (401).
   *
   * @default - only the issuer of `domain` (or `issuer`)
   */
  readonly additionalDomains?: string[];

  /**
   * Further API identifiers a token may be issued for: its `aud` must contain `audience` or one
   * of these (a migration between identifiers, or one authorizer in front of several Auth0 APIs).
   *
   * @default - only `audience`
   */
  readonly additionalAudiences?: string[];

  /**
   * Auth0 Organizations whose members may call the API, by organization ID (`org_...`). A token
   * must carry an `org_id` claim from this list; a token without one, or with another, is refused
   * (401, as a token issued for another API is). Whether or not this is set, `org_id` and
   * `org_name` reach backends in the authorizer context when the token carries them.
   *
   * @default - no organization check
   */
  readonly organizations?: string[];

  /**
   * DPoP sender-constrained tokens (RFC 9449). With `ALLOWED` or `REQUIRED` every request's proof
   * is checked, so API Gateway's authorizer result cache is off (one authorizer invocation per
   * request) and `authorizerCacheTtl`, where a construct has it, must be left unset or zero.
   *
   * @default DpopMode.DISABLED
   */
  readonly dpop?: DpopMode;

  /**
   * Scopes every protected route requires, in addition to the route's own `scopes`.
   * Granted scopes are read from the token's `scope`, `scp` and Auth0 RBAC `permissions` claims;
   * every listed scope is required.
   *
   * @default - none: a valid token suffices where a route names no scopes
   */
  readonly requiredScopes?: string[];

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
   * Custom claims passed to backends in the authorizer context (REST APIs:
   * `event.requestContext.authorizer`; HTTP APIs: `event.requestContext.authorizer.lambda`):
   * context key → claim name, for example `{ roles: 'https://acme.com/roles' }`. Values that are
   * not strings, numbers or booleans arrive as JSON text.
   *
   * @default - only `sub` and `scope` (and `org_id`, `org_name` when the token carries them)
   */
  readonly contextClaims?: { [contextKey: string]: string };

  /**
   * Memory of the authorizer function, in MB. RSA signature checks are CPU-bound, and Lambda
   * grants CPU in proportion to memory.
   *
   * @default 256
   */
  readonly authorizerMemorySize?: number;
}
