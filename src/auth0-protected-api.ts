import { Annotations, Aspects, CfnResource, Duration, IAspect, Lazy, Token } from 'aws-cdk-lib';
import {
  AuthorizationType, CfnStage, CorsOptions, IdentitySource, Integration, Method, MethodOptions,
  RequestAuthorizer, RestApi, RestApiProps, ThrottleSettings,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AuthAlarmOptions, createAuthAlarms } from './alarms';
import { stageAuthorizerAsset } from './authorizer-asset';
import { AuthorizerCode } from './authorizer-code';
import {
  AUTHORIZER_CONFIG_VERSION, AuthorizerConfig, AuthorizerRoute, CONTEXT_KEY_PATTERN, PolicyScope, RESERVED_CONTEXT_KEYS, SUPPORTED_ALGORITHMS,
} from './authorizer-config';
import { addAuthGatewayResponses } from './gateway-responses';
import { IssuerSettings, resolveIssuer } from './issuer';
import { suppressAcceptedFindings } from './nag-suppressions';
import { choosePolicyScope, ParsedRoute, parseRoute, resourcePattern } from './routes';
import { addRouteThrottles, RouteThrottle, stageOptions } from './stage-settings';

/** Properties of {@link Auth0ProtectedApi}. */
export interface Auth0ProtectedApiProps {
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
   * Scopes every protected route requires, in addition to the route's own `scopes`.
   * Granted scopes are read from the token's `scope`, `scp` and Auth0 RBAC `permissions` claims.
   *
   * @default - none: a valid token suffices where a route names no scopes
   */
  readonly requiredScopes?: string[];

  /**
   * Routes that skip the authorizer, written as `'METHOD /path'`, for example `'GET /health'`.
   * Each must also be added with {@link Auth0ProtectedApi.addRoute}, without scopes.
   *
   * @default - none: every route is protected
   */
  readonly publicRoutes?: string[];

  /**
   * CORS for browsers. Preflight `OPTIONS` methods are added without any authorizer, and the
   * 401, 403 and other error responses of API Gateway carry the CORS headers too.
   *
   * @default - CORS off
   */
  readonly cors?: CorsOptions;

  /**
   * How long API Gateway caches an authorizer decision for a token. `Duration.seconds(0)` turns
   * caching off, so every request invokes the authorizer. At most one hour.
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
   * Custom claims passed to backends in the authorizer context: context key → claim name, for
   * example `{ roles: 'https://acme.com/roles' }`. Values that are not strings, numbers or
   * booleans arrive as JSON text.
   *
   * @default - only `sub` and `scope`
   */
  readonly contextClaims?: { [contextKey: string]: string };

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
   * Memory of the authorizer function, in MB. RSA signature checks are CPU-bound, and Lambda
   * grants CPU in proportion to memory.
   *
   * @default 256
   */
  readonly authorizerMemorySize?: number;

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

interface RouteEntry {
  readonly route: ParsedRoute;
  readonly scopes: string[];
  readonly isPublic: boolean;
  readonly throttle?: ThrottleSettings;
}

const DEFAULT_CACHE_TTL = Duration.minutes(5);
const MAX_CLOCK_TOLERANCE = Duration.minutes(5);
// A policy resource ARN may be at most 512 characters; the ARN prefix takes up to about 110.
const MAX_ROUTE_PATH_LENGTH = 400;
const SCOPE_FORMAT = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 scope-token: printable ASCII but space, " and \

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

  private readonly issuerSettings: IssuerSettings;
  private readonly audience: string;
  private readonly requiredScopes: string[];
  private readonly declaredPublicRoutes: Map<string, string>;
  private readonly cors?: CorsOptions;
  private readonly cacheTtl: Duration;
  private readonly algorithms: string[];
  private readonly clockTolerance: Duration;
  private readonly contextClaims: Record<string, string>;
  private readonly routes = new Map<string, RouteEntry>();
  private readonly tracing: boolean;
  private readonly code = new AuthorizerCode();
  private readonly protectedMethods: Method[] = [];
  private readonly publicMethods: Method[] = [];
  private authorizer?: RequestAuthorizer;
  private policyScope?: PolicyScope;

  constructor(scope: Construct, id: string, props: Auth0ProtectedApiProps) {
    super(scope, id);
    requireLiteral('domain', props.domain);
    requireLiteral('issuer', props.issuer);
    requireLiteral('jwksUri', props.jwksUri);
    requireLiteral('audience', props.audience);
    this.issuerSettings = resolveIssuer(props);
    if (props.audience.trim() === '') {
      throw new Error('audience: the value is empty. Set it to your Auth0 API Identifier (Dashboard → Applications → APIs), for example "https://api.acme.com".');
    }
    this.audience = props.audience;
    this.requiredScopes = validateScopes('requiredScopes', props.requiredScopes ?? []);
    this.cacheTtl = validateCacheTtl(props.authorizerCacheTtl ?? DEFAULT_CACHE_TTL);
    this.algorithms = validateAlgorithms(props.algorithms ?? ['RS256']);
    this.clockTolerance = validateClockTolerance(props.clockTolerance ?? Duration.seconds(5));
    this.contextClaims = validateContextClaims(props.contextClaims ?? {});
    this.declaredPublicRoutes = new Map((props.publicRoutes ?? []).map((text) => {
      const route = parseRoute(text, 'publicRoutes');
      return [route.key, text];
    }));
    this.cors = resolveCors(props);
    warnAboutIssuer(this, this.issuerSettings.issuer);
    if (this.cacheTtl.toSeconds() === 0) {
      Annotations.of(this).addWarningV2('cdk-auth0-protected-api:cacheDisabled',
        'authorizerCacheTtl is 0: every request invokes the authorizer Lambda. Keep a TTL of a few minutes unless you need instant revocation.');
    }

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
    addAuthGatewayResponses(this.restApi, this.cors);
    addRouteThrottles(this.restApi.deploymentStage.node.defaultChild as CfnStage, () => this.routeThrottles());

    const memorySize = props.authorizerMemorySize ?? 256;
    if (!Token.isUnresolved(memorySize) && (memorySize < 128 || memorySize > 10240)) {
      throw new Error(`authorizerMemorySize: ${memorySize} is outside what Lambda allows. Use 128 to 10240 MB; 256 is the default.`);
    }
    this.authorizerLogGroup = new LogGroup(this, 'AuthorizerLogs', { retention: RetentionDays.ONE_YEAR });
    // Its own role, allowed to write to its own log group and nothing else.
    const role = new Role(this, 'AuthorizerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Lets the Auth0 authorizer write its logs, and nothing else',
    });
    this.authorizerLogGroup.grantWrite(role);
    this.authorizerFunction = new LambdaFunction(this, 'Authorizer', {
      description: `Verifies access tokens from ${this.issuerSettings.issuer} for ${this.audience}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: this.code,
      role,
      // RSA verification is CPU-bound and Lambda grants CPU in proportion to memory.
      memorySize,
      // Well above the JWKS fetch timeout (2 s), well below API Gateway's 29 s limit.
      timeout: Duration.seconds(10),
      loggingFormat: LoggingFormat.JSON,
      logGroup: this.authorizerLogGroup,
      tracing: this.tracing ? Tracing.ACTIVE : undefined,
    });

    // The route table is final only once the app is complete: write the configuration then.
    Aspects.of(this).add(new StageAuthorizerAspect(this, () => this.stageAuthorizer()));
    this.node.addValidation({ validate: () => this.unaddedPublicRoutes() });
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
    const parsed = parseRoute(route, 'addRoute');
    if (this.code.isStaged) {
      throw new Error(`addRoute: route "${route}" was added after the app was synthesized. Add every route before synthesis.`);
    }
    if (this.routes.has(parsed.key)) throw new Error(`addRoute: route "${parsed.key}" is added twice. Add each route once.`);
    if (parsed.path.length > MAX_ROUTE_PATH_LENGTH) {
      throw new Error(`addRoute: route "${parsed.key}" has a path longer than ${MAX_ROUTE_PATH_LENGTH} characters, which API Gateway policy ARNs cannot hold. Shorten the path.`);
    }
    if (parsed.method === 'OPTIONS' && this.cors) {
      throw new Error(`addRoute: route "${parsed.key}" collides with the CORS preflight that the cors prop adds. Remove the route or the cors prop.`);
    }
    this.checkSiblingParameters(parsed);
    const isPublic = this.declaredPublicRoutes.has(parsed.key);
    const routeScopes = validateScopes(`addRoute("${parsed.key}").scopes`, options.scopes ?? []);
    if (isPublic && routeScopes.length > 0) {
      throw new Error(`addRoute: route "${parsed.key}" is in publicRoutes but was given scopes ${JSON.stringify(routeScopes)}. A public route skips the authorizer; remove it from publicRoutes or drop its scopes.`);
    }
    const methodOptions = options.methodOptions ?? {};
    if (methodOptions.authorizer || methodOptions.authorizationType || methodOptions.authorizationScopes) {
      throw new Error(`addRoute: route "${parsed.key}" sets authorizer, authorizationType or authorizationScopes in methodOptions. This construct sets authorization; use scopes and publicRoutes instead.`);
    }

    const scopes = [...new Set([...this.requiredScopes, ...routeScopes])].sort();
    this.routes.set(parsed.key, { route: parsed, scopes, isPublic, throttle: options.throttle });
    const resource = this.restApi.root.resourceForPath(parsed.path);
    const method = resource.addMethod(parsed.method, integration, isPublic
      ? { ...methodOptions, authorizationType: AuthorizationType.NONE }
      : { ...methodOptions, authorizationType: AuthorizationType.CUSTOM, authorizer: this.requestAuthorizer() });
    (isPublic ? this.publicMethods : this.protectedMethods).push(method);
    return method;
  }

  /** Every protected route added so far, as `'METHOD /path'`. */
  public get protectedRoutes(): string[] {
    return [...this.routes.values()].filter((e) => !e.isPublic).map((e) => e.route.key);
  }

  /** Every public route added so far, as `'METHOD /path'`. */
  public get publicRoutes(): string[] {
    return [...this.routes.values()].filter((e) => e.isPublic).map((e) => e.route.key);
  }

  /** Created with the first protected route: API Gateway rejects an authorizer no method uses. */
  private requestAuthorizer(): RequestAuthorizer {
    if (!this.authorizer) {
      this.authorizer = new RequestAuthorizer(this, 'RequestAuthorizer', {
        handler: this.authorizerFunction,
        resultsCacheTtl: this.cacheTtl,
        // Decided with the route table: see choosePolicyScope.
        identitySources: [Lazy.string({ produce: () => this.identitySource() })],
      });
    }
    return this.authorizer;
  }

  private identitySource(): string {
    const header = IdentitySource.header('Authorization');
    if (this.resolvedPolicyScope() === 'api') return header;
    return [header, IdentitySource.context('httpMethod'), IdentitySource.context('resourcePath')].join(',');
  }

  private authorizerRoutes(): AuthorizerRoute[] {
    return [...this.routes.values()]
      .filter((e) => !e.isPublic)
      .map((e) => ({ method: e.route.method, path: e.route.path, scopes: e.scopes, resourcePattern: resourcePattern(e.route) }));
  }

  private resolvedPolicyScope(): PolicyScope {
    this.policyScope ??= choosePolicyScope(this.authorizerRoutes());
    return this.policyScope;
  }

  private stageAuthorizer(): void {
    if (this.code.isStaged) return;
    const config: AuthorizerConfig = {
      version: AUTHORIZER_CONFIG_VERSION,
      issuer: this.issuerSettings.issuer,
      audience: this.audience,
      jwksUri: this.issuerSettings.jwksUri,
      algorithms: this.algorithms,
      clockToleranceSeconds: this.clockTolerance.toSeconds(),
      policyScope: this.resolvedPolicyScope(),
      routes: this.authorizerRoutes(),
      contextClaims: this.contextClaims,
      jwksTimeoutMs: 2_000,
      // A newly published key is picked up on first sight once 10 s have passed since the last fetch.
      jwksCooldownMs: 10_000,
      jwksCacheMaxAgeMs: 600_000,
    };
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    suppressAcceptedFindings({
      api: this.restApi,
      authorizer: this.authorizerFunction,
      protectedMethods: this.protectedMethods,
      publicMethods: this.publicMethods,
      tracing: this.tracing,
    });
  }

  /** API Gateway refuses two differently named path parameters under one parent. */
  private checkSiblingParameters(route: ParsedRoute): void {
    const segments = route.path.split('/').slice(1);
    for (const other of this.routes.values()) {
      const theirs = other.route.path.split('/').slice(1);
      for (let i = 0; i < Math.min(segments.length, theirs.length); i++) {
        const mine = segments[i];
        const their = theirs[i];
        if (mine === their) continue;
        if (mine.startsWith('{') && their.startsWith('{')) {
          throw new Error(`addRoute: route "${route.key}" names the path parameter ${mine} where "${other.route.key}" names ${their}. `
            + 'API Gateway allows one parameter name per position under the same parent; use the same name in both routes.');
        }
        break;
      }
    }
  }

  private routeThrottles(): RouteThrottle[] {
    return [...this.routes.values()]
      .filter((e) => e.throttle !== undefined)
      .map((e) => ({ method: e.route.method, path: e.route.path, throttle: e.throttle! }));
  }

  private unaddedPublicRoutes(): string[] {
    return [...this.declaredPublicRoutes.entries()]
      .filter(([key]) => !this.routes.has(key))
      .map(([, text]) => `publicRoutes: "${text}" is declared public but never added. Add it with addRoute("${text}", integration) or remove it from publicRoutes.`);
  }
}

/** Runs `stage` once the construct tree is complete, before synthesis. */
class StageAuthorizerAspect implements IAspect {
  constructor(private readonly owner: IConstruct, private readonly stage: () => void) {}

  public visit(node: IConstruct): void {
    if (node === this.owner) this.stage();
  }
}

/**
 * CDK makes a function depend on its role, which its `Role: !GetAtt` already implies (cfn-lint
 * W3005). Only the role's policy needs an explicit dependency: the function must not start
 * before it may write logs.
 */
function dependOnPolicyOnly(fn: LambdaFunction): void {
  const policy = fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    (fn.node.defaultChild as CfnResource).addOverride('DependsOn', [policy.logicalId]);
  }
}

function requireLiteral(prop: string, value: string | undefined): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw new Error(`${prop}: the value is an unresolved token (${value}). It is written into the authorizer's configuration at synth time, so pass a plain string.`);
  }
}

function validateScopes(prop: string, scopes: string[]): string[] {
  for (const scope of scopes) {
    requireLiteral(prop, scope);
    if (!SCOPE_FORMAT.test(scope)) {
      throw new Error(`${prop}: scope ${JSON.stringify(scope)} is empty or contains whitespace, a quote or a backslash. A scope is one word such as "read:items"; list several scopes as separate entries.`);
    }
  }
  return [...new Set(scopes)];
}

function validateCacheTtl(ttl: Duration): Duration {
  if (!ttl.isUnresolved() && ttl.toSeconds() > 3600) {
    throw new Error(`authorizerCacheTtl: ${ttl.toHumanString()} is longer than API Gateway allows. Use at most Duration.hours(1), or Duration.seconds(0) to turn caching off.`);
  }
  return ttl;
}

function validateAlgorithms(algorithms: string[]): string[] {
  const unsupported = algorithms.filter((a) => !(SUPPORTED_ALGORITHMS as readonly string[]).includes(a));
  if (algorithms.length === 0 || unsupported.length > 0) {
    throw new Error(`algorithms: ${JSON.stringify(algorithms)} must list one or more of ${SUPPORTED_ALGORITHMS.join(', ')}. Symmetric (HS*) and "none" are never accepted; Auth0 signs with RS256.`);
  }
  return [...new Set(algorithms)];
}

function validateClockTolerance(tolerance: Duration): Duration {
  if (tolerance.toSeconds() > MAX_CLOCK_TOLERANCE.toSeconds()) {
    throw new Error(`clockTolerance: ${tolerance.toHumanString()} would accept tokens long expired. Use at most Duration.minutes(5); a few seconds is usual.`);
  }
  return tolerance;
}

function validateContextClaims(claims: Record<string, string>): Record<string, string> {
  for (const [key, claim] of Object.entries(claims)) {
    if (!CONTEXT_KEY_PATTERN.test(key) || (RESERVED_CONTEXT_KEYS as readonly string[]).includes(key)) {
      throw new Error(`contextClaims: context key ${JSON.stringify(key)} must be a letter followed by letters, digits or _ (at most 64), and not one of ${RESERVED_CONTEXT_KEYS.join(', ')}. Rename the key.`);
    }
    if (typeof claim !== 'string' || claim.length === 0) {
      throw new Error(`contextClaims: context key ${JSON.stringify(key)} maps to ${JSON.stringify(claim)}; give the claim name, for example "https://acme.com/roles".`);
    }
  }
  return { ...claims };
}

function resolveCors(props: Auth0ProtectedApiProps): CorsOptions | undefined {
  const fromRestApi = props.restApiProps?.defaultCorsPreflightOptions;
  if (props.cors && fromRestApi) {
    throw new Error('restApiProps.defaultCorsPreflightOptions: CORS is set both there and in cors. Set it only in cors, which also puts CORS headers on 401 and 403 responses.');
  }
  const defaults = props.restApiProps?.defaultMethodOptions;
  if (defaults?.authorizer || defaults?.authorizationType) {
    throw new Error('restApiProps.defaultMethodOptions: sets an authorizer or authorization type, which would also apply to public routes and CORS preflight. Remove it; this construct authorizes each protected route itself.');
  }
  return props.cors ?? fromRestApi;
}

function warnAboutIssuer(scope: Construct, issuer: string): void {
  if (/\.auth0\.com$/i.test(new URL(issuer).hostname) && !issuer.endsWith('/')) {
    Annotations.of(scope).addWarningV2('cdk-auth0-protected-api:issuerTrailingSlash',
      `issuer "${issuer}" has no trailing slash, but Auth0 writes "iss" as "${issuer}/". Tokens will be refused unless the slash is added.`);
  }
}
