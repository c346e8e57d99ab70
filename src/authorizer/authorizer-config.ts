/**
 * The authorizer's configuration: the one definition that the construct (which writes it)
 * and the authorizer Lambda (which reads it) share.
 *
 * It travels as `config.json` next to the bundled handler rather than in environment
 * variables, because Lambda caps all variables together at 4 KB and a route table of a few
 * hundred routes does not fit. This file must not import aws-cdk-lib or constructs: the
 * authorizer bundle includes it.
 */

/** File name of the configuration inside the authorizer's asset directory. */
export const AUTHORIZER_CONFIG_FILE = 'config.json';

/** Format version; the authorizer refuses any other. */
export const AUTHORIZER_CONFIG_VERSION = 1;

/**
 * How far one authorizer decision reaches.
 *
 * - `api`: the returned policy decides every protected route of the API, so API Gateway may
 *   cache it per token and reuse it on any route.
 * - `route`: the returned policy decides only the route it was asked about; the construct then
 *   adds the method and resource path to the cache key, so it is reused only on that route.
 */
export type PolicyScope = 'api' | 'route';

/** HTTP methods a route may name. `ANY` matches every method. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

/** JWS algorithms the authorizer may accept: asymmetric only, never `none` or HMAC. */
export const SUPPORTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** One protected route as the authorizer sees it. */
export interface AuthorizerRoute {
  /** `GET`, `POST`, ... or `ANY`. */
  readonly method: string;
  /** API Gateway resource path, e.g. `/items/{id}` or `/files/{proxy+}`. */
  readonly path: string;
  /** Every scope a token must hold for this route (the API's required scopes included), sorted. */
  readonly scopes: string[];
  /**
   * The route as an execute-api policy resource suffix, `METHOD/path` with every path parameter
   * written as `?*` (at least one character) and `ANY` as `*`, e.g. `GET/items/?*` or `* /files/?*`
   * (without the space). Policies never use the `*` of `ANY` as such: see {@link policyPatternsOf}.
   */
  readonly resourcePattern: string;
}

/** The methods an `ANY` route stands for: API Gateway REST routes no others. */
export const CONCRETE_METHODS = ROUTE_METHODS.filter((m) => m !== 'ANY');

/**
 * The policy resource suffixes that allow or deny a route. In a policy `*` matches any characters,
 * `/` included (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * so `ANY /` written `* /` would also match `GET/colors/`; an `ANY` route is listed once per
 * concrete method instead.
 *
 * API Gateway routes `GET /colors/` like `GET /colors` (recorded against AWS in LocalStack's
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json, "invocation-payload-with-trailing-slash":
 * the path keeps the slash, `{proxy+}` gets the value without it). Whether the method ARN keeps
 * the slash is not documented, so a literal route also lists its trailing-slash suffix
 * (`GET/colors/`): exactly that request, which no other route receives (a parameter is never empty).
 * A pattern ending in `*` already matches it.
 */
export function policyPatternsOf(route: AuthorizerRoute): string[] {
  const path = route.resourcePattern.slice(route.resourcePattern.indexOf('/'));
  const methods = route.method === 'ANY' ? CONCRETE_METHODS : [route.method];
  const paths = path.endsWith('*') || path.endsWith('/') ? [path] : [path, `${path}/`];
  return methods.flatMap((method) => paths.map((p) => `${method}${p}`));
}

/**
 * One protected route of an HTTP API, as the authorizer sees it. API Gateway sends the matched
 * route's key in the payload 2.0 event (`routeKey`), so the decision is a lookup by exact key.
 */
export interface HttpAuthorizerRoute {
  /** The route key exactly as API Gateway writes it: `'GET /items/{id}'`, `'ANY /files/{proxy+}'` or `'$default'`. */
  readonly routeKey: string;
  /** Every scope a token must hold for this route (the API's required scopes included), sorted. */
  readonly scopes: string[];
}

/** DPoP (RFC 9449) as the authorizer checks it; absent from the configuration when DPoP is off. */
export interface DpopConfig {
  /** `allowed`: Bearer tokens without `cnf` pass too; `required`: only DPoP-bound tokens with a proof. */
  readonly mode: 'allowed' | 'required';
  /** JWS algorithms accepted on proofs: asymmetric only. */
  readonly algorithms: string[];
  /** A proof's `iat` may be at most this many seconds old (plus the clock tolerance, which also bounds how far ahead it may be). */
  readonly proofMaxAgeSeconds: number;
  /** How many proofs (`jti`) one authorizer instance remembers to detect replay. */
  readonly replayCacheSize: number;
}

/** Everything the authorizer needs to decide a request. */
export interface AuthorizerConfig {
  readonly version: number;
  /** Expected `iss`, compared exactly. */
  readonly issuer: string;
  /** Further accepted `iss` values (other domains of the tenant), each compared exactly. Written only when set. */
  readonly additionalIssuers?: string[];
  /** Expected `aud`: the token's `aud` must equal it or contain it. */
  readonly audience: string;
  /** Further accepted audiences: `aud` must contain `audience` or one of these. Written only when set. */
  readonly additionalAudiences?: string[];
  /** When set, a token's `org_id` must be one of these (Auth0 Organizations). */
  readonly organizations?: string[];
  /** When set, DPoP-bound tokens are accepted with a proof; see {@link DpopConfig}. */
  readonly dpop?: DpopConfig;
  /** Where the issuer publishes its signing keys. */
  readonly jwksUri: string;
  /** Accepted JWS algorithms. */
  readonly algorithms: string[];
  /** Allowed clock skew for `exp` and `nbf`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** See {@link PolicyScope}. */
  readonly policyScope: PolicyScope;
  /** Every route the authorizer protects. */
  readonly routes: AuthorizerRoute[];
  /**
   * The protected routes of an HTTP API, by route key. Present only in the configuration of an
   * `Auth0ProtectedHttpApi` (whose `routes` is empty): payload 2.0 events are decided against it.
   */
  readonly httpRoutes?: HttpAuthorizerRoute[];
  /** Context key → claim name: custom claims passed to backends, flattened. */
  readonly contextClaims: Record<string, string>;
  /** Abort a JWKS request after this many milliseconds. */
  readonly jwksTimeoutMs: number;
  /** After a JWKS fetch, an unknown `kid` triggers no new fetch for this many milliseconds. */
  readonly jwksCooldownMs: number;
  /** A fetched key set is trusted for this many milliseconds before it is refreshed. */
  readonly jwksCacheMaxAgeMs: number;
  /**
   * While refreshing fails (the issuer unreachable), the last good key set keeps verifying until it
   * is this many milliseconds old; after that every token is refused with `jwks_unavailable`.
   * At least `jwksCacheMaxAgeMs`; equal to it, there is no stale use at all.
   */
  readonly jwksStaleMaxAgeMs: number;
}

/**
 * Log `reason`s that are not the caller's fault: the issuer unreachable (`jwks_unavailable` refuses a
 * request, `jwks_fetch_failed` records each failed fetch, also of a key set still in use), an unusable
 * configuration (`invalid_configuration`, and `unknown_route` or `invalid_request`, which only a
 * route table out of step with the API or an event API Gateway would not send can cause), and a bug
 * (`internal_error`). The authorizer logs exactly these at ERROR, and the AuthorizerErrors alarm
 * counts exactly these; nothing an anonymous caller sends can produce one.
 */
export const ALARM_REASONS = ['jwks_unavailable', 'jwks_fetch_failed', 'invalid_configuration', 'internal_error', 'unknown_route', 'invalid_request'] as const;

/** Context keys the authorizer always sets; custom claims cannot take them. */
export const RESERVED_CONTEXT_KEYS = ['sub', 'scope', 'principalId', 'org_id', 'org_name'] as const;

/** Context keys API Gateway passes through unchanged to every kind of backend. */
export const CONTEXT_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** True for hosts that never leave this machine: the only ones allowed over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Whether `url` may be used for the issuer or the JWKS: https, or http on loopback for tests.
 * Returns a reason when it may not, `undefined` when it may.
 */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  if (parsed.protocol === 'http:') return 'uses plain http, which is allowed only for 127.0.0.1 and localhost';
  return `uses ${parsed.protocol.replace(/:$/, '')}, but only https is allowed`;
}

/** Deterministic JSON (fixed key order), so the same props always give the same asset hash. */
export function serializeAuthorizerConfig(config: AuthorizerConfig): string {
  const ordered: AuthorizerConfig = {
    version: config.version,
    issuer: config.issuer,
    // The fields below are only written when set, so existing apps keep their configuration and asset hash.
    ...(config.additionalIssuers?.length ? { additionalIssuers: [...config.additionalIssuers] } : {}),
    audience: config.audience,
    ...(config.additionalAudiences?.length ? { additionalAudiences: [...config.additionalAudiences] } : {}),
    ...(config.organizations === undefined ? {} : { organizations: [...config.organizations] }),
    ...(config.dpop === undefined ? {} : {
      dpop: {
        mode: config.dpop.mode,
        algorithms: [...config.dpop.algorithms],
        proofMaxAgeSeconds: config.dpop.proofMaxAgeSeconds,
        replayCacheSize: config.dpop.replayCacheSize,
      },
    }),
    jwksUri: config.jwksUri,
    algorithms: [...config.algorithms],
    clockToleranceSeconds: config.clockToleranceSeconds,
    policyScope: config.policyScope,
    routes: config.routes.map((r) => ({
      method: r.method,
      path: r.path,
      scopes: [...r.scopes],
      resourcePattern: r.resourcePattern,
    })),
    // Only written when set, so a REST API's configuration (and its asset hash) is unchanged by HTTP API support.
    ...(config.httpRoutes === undefined ? {} : {
      httpRoutes: config.httpRoutes.map((r) => ({ routeKey: r.routeKey, scopes: [...r.scopes] })),
    }),
    contextClaims: Object.fromEntries(Object.keys(config.contextClaims).sort().map((k) => [k, config.contextClaims[k]])),
    jwksTimeoutMs: config.jwksTimeoutMs,
    jwksCooldownMs: config.jwksCooldownMs,
    jwksCacheMaxAgeMs: config.jwksCacheMaxAgeMs,
    jwksStaleMaxAgeMs: config.jwksStaleMaxAgeMs,
  };
  return JSON.stringify(ordered, undefined, 1) + '\n';
}

/**
 * Parses and validates the configuration. Throws an Error naming every problem: the authorizer
 * calls this once at cold start, so a malformed configuration fails loudly instead of
 * authorizing anything.
 */
export function parseAuthorizerConfig(text: string): AuthorizerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`authorizer configuration is not valid JSON: ${(e as Error).message}`);
  }
  const problems: string[] = [];
  const c = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  if (raw !== c) problems.push('must be a JSON object');

  if (c.version !== AUTHORIZER_CONFIG_VERSION) problems.push(`version must be ${AUTHORIZER_CONFIG_VERSION}, got ${JSON.stringify(c.version)}`);
  for (const key of ['issuer', 'jwksUri'] as const) {
    const value = c[key];
    if (typeof value !== 'string') {
      problems.push(`${key} must be a string`);
    } else {
      const problem = urlProblem(value);
      if (problem) problems.push(`${key} ${JSON.stringify(value)} ${problem}`);
    }
  }
  if (typeof c.audience !== 'string' || c.audience.length === 0) problems.push('audience must be a non-empty string');
  problems.push(...tenantProblems(c));
  if (!isStringArray(c.algorithms) || c.algorithms.length === 0 || !c.algorithms.every(isSupportedAlgorithm)) {
    problems.push(`algorithms must be a non-empty list of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  }
  for (const key of ['clockToleranceSeconds', 'jwksCooldownMs', 'jwksCacheMaxAgeMs', 'jwksStaleMaxAgeMs'] as const) {
    const value = c[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) problems.push(`${key} must be a whole number of at least 0`);
  }
  if (typeof c.jwksStaleMaxAgeMs === 'number' && typeof c.jwksCacheMaxAgeMs === 'number' && c.jwksStaleMaxAgeMs < c.jwksCacheMaxAgeMs) {
    problems.push(`jwksStaleMaxAgeMs (${c.jwksStaleMaxAgeMs}) must be at least jwksCacheMaxAgeMs (${c.jwksCacheMaxAgeMs})`);
  }
  // A zero timeout would abort every JWKS fetch at once.
  if (typeof c.jwksTimeoutMs !== 'number' || !Number.isInteger(c.jwksTimeoutMs) || c.jwksTimeoutMs < 1) problems.push('jwksTimeoutMs must be a whole number of at least 1');
  if (c.policyScope !== 'api' && c.policyScope !== 'route') problems.push('policyScope must be "api" or "route"');
  if (!Array.isArray(c.routes)) {
    problems.push('routes must be a list');
  } else {
    c.routes.forEach((route, i) => {
      const problem = routeProblem(route);
      if (problem) problems.push(`routes[${i}] ${problem}`);
    });
  }
  if (c.httpRoutes !== undefined) {
    if (!Array.isArray(c.httpRoutes)) {
      problems.push('httpRoutes must be a list');
    } else {
      c.httpRoutes.forEach((route, i) => {
        const problem = httpRouteProblem(route);
        if (problem) problems.push(`httpRoutes[${i}] ${problem}`);
      });
    }
  }
  const claims = c.contextClaims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)
    || !Object.entries(claims).every(([k, v]) => CONTEXT_KEY_PATTERN.test(k) && !(RESERVED_CONTEXT_KEYS as readonly string[]).includes(k)
      && typeof v === 'string' && v.length > 0)) {
    problems.push(`contextClaims must map context keys (not ${RESERVED_CONTEXT_KEYS.join(', ')}) to claim names`);
  }

  if (problems.length > 0) throw new Error(`authorizer configuration is invalid: ${problems.join('; ')}`);
  return c as unknown as AuthorizerConfig;
}

/** Problems of the optional tenant and DPoP fields; a present field must be well-formed, never ignored. */
function tenantProblems(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (c.additionalIssuers !== undefined) {
    if (!isStringArray(c.additionalIssuers)) {problems.push('additionalIssuers must be a list of strings');} else {
      for (const issuer of c.additionalIssuers) {
        const problem = urlProblem(issuer);
        if (problem) problems.push(`additionalIssuers entry ${JSON.stringify(issuer)} ${problem}`);
      }
    }
  }
  if (c.additionalAudiences !== undefined && (!isStringArray(c.additionalAudiences) || c.additionalAudiences.some((a) => a.length === 0))) {
    problems.push('additionalAudiences must be a list of non-empty strings');
  }
  // An empty list would refuse every token: a configuration that cannot be meant.
  const organizations = c.organizations;
  if (organizations !== undefined && (!isStringArray(organizations) || organizations.length === 0 || organizations.some((o) => o.length === 0))) {
    problems.push('organizations must be a non-empty list of non-empty strings');
  }
  if (c.dpop !== undefined) {
    const d = (typeof c.dpop === 'object' && c.dpop !== null ? c.dpop : {}) as Record<string, unknown>;
    if (d.mode !== 'allowed' && d.mode !== 'required') problems.push('dpop.mode must be "allowed" or "required"');
    if (!isStringArray(d.algorithms) || d.algorithms.length === 0 || !d.algorithms.every(isSupportedAlgorithm)) {
      problems.push(`dpop.algorithms must be a non-empty list of ${SUPPORTED_ALGORITHMS.join(', ')}`);
    }
    for (const key of ['proofMaxAgeSeconds', 'replayCacheSize'] as const) {
      const value = d[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) problems.push(`dpop.${key} must be a whole number of at least 1`);
    }
  }
  return problems;
}

function routeProblem(route: unknown): string | undefined {
  if (typeof route !== 'object' || route === null) return 'must be an object';
  const r = route as Record<string, unknown>;
  if (typeof r.method !== 'string' || !(ROUTE_METHODS as readonly string[]).includes(r.method)) return 'has an unknown method';
  if (typeof r.path !== 'string' || !r.path.startsWith('/')) return 'must have a path starting with /';
  if (!isStringArray(r.scopes)) return 'must list its scopes as strings';
  if (typeof r.resourcePattern !== 'string' || r.resourcePattern.length === 0) return 'must have a resource pattern';
  return undefined;
}

function httpRouteProblem(route: unknown): string | undefined {
  if (typeof route !== 'object' || route === null) return 'must be an object';
  const r = route as Record<string, unknown>;
  if (typeof r.routeKey !== 'string' || !(r.routeKey === '$default' || /^[A-Z]+ \//.test(r.routeKey))) return "must have a route key such as 'GET /path' or '$default'";
  if (!isStringArray(r.scopes)) return 'must list its scopes as strings';
  return undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isSupportedAlgorithm(value: string): boolean {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(value);
}
