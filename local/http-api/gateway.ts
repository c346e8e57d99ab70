/**
 * A local API Gateway HTTP API: routes, Lambda authorizer (payload 2.0, simple responses) with its
 * result cache, CORS, and integrations, as the Developer Guide describes them. The authorizer is
 * whatever `invokeAuthorizer` runs (for tests: the shipped bundle in a child process).
 *
 * What clients see, as documented for HTTP API Lambda authorizers ("Control access to HTTP APIs
 * with AWS Lambda authorizers", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * - an identity source missing or empty: 401, without invoking the authorizer;
 * - the authorizer rejects with `Unauthorized`: 401 `{"message":"Unauthorized"}`;
 * - `isAuthorized: false`: 403 `{"message":"Forbidden"}`;
 * - any other failure, or a response in the wrong format: 500 `{"message":"Internal Server Error"}`.
 * With caching on, the key is the identity source values ("Caching authorizer responses").
 */
import { readHttpProxyResponse } from './proxy-response';
import { isDecodablePath, selectRoute } from './routing';
import { authorizationNotEmulated, type HttpApiAuthorizer, type HttpApiCors, type HttpApiDefinition, type HttpApiIntegration } from './template';
import { forwardHttp } from '../http-forward';
import { FunctionTimeoutError, type FunctionRunner } from '../lambda/function-runner';

/**
 * How long an HTTP API waits for an integration when it sets no `TimeoutInMillis`: 30 s, the most it
 * allows ("Quotas for configuring and running an HTTP API",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

export interface LocalRequest {
  readonly method: string;
  /** Path with optional query, e.g. `/items/7?x=1`. */
  readonly path: string;
  /** Header names in any case; a list sends the header several times (joined with commas, as API Gateway does). */
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The route API Gateway selected, when one matched. */
  readonly routeKey?: string;
  /** Whether the authorizer was invoked for this request (false: cached, not needed, or refused before). */
  readonly authorizerInvoked: boolean;
  /** What decided authorization: the authorizer called, its cached decision, or nothing (no authorizer, refused before). */
  readonly authorizer?: 'invoked' | 'cached' | 'identity-missing';
  /** Set on a 501: why the integration was not run locally. */
  readonly notEmulated?: string;
  /** Why API Gateway answered with an error of its own (malformed answer, timeout): for the log, never the client. */
  readonly problem?: string;
  /** One `set-cookie` header each, from a payload 2.0 `cookies` list. */
  readonly cookies?: string[];
}

/** What invoking the authorizer function produced: its result, or the message it rejected with. */
export type AuthorizerOutcome = { readonly ok: unknown } | { readonly error: string };

export interface LocalHttpApiOptions {
  readonly api: HttpApiDefinition;
  readonly invokeAuthorizer: (authorizer: HttpApiAuthorizer, event: Record<string, unknown>) => Promise<AuthorizerOutcome>;
  /** Runs the template's Lambda functions behind Lambda integrations (D's runner, shared with REST APIs). */
  readonly functions: FunctionRunner;
  /** Why an authorizer is not run locally (not this library's), or undefined when `invokeAuthorizer` runs it; such routes answer 501. */
  readonly authorizerNotEmulated?: (authorizer: HttpApiAuthorizer) => string | undefined;
  /** Milliseconds since the epoch; tests move time forward to expire cache entries. */
  readonly now?: () => number;
  readonly stage?: string;
  readonly apiId?: string;
}

/** What a step of the request produced, before CORS headers are added. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly notEmulated?: string;
  readonly problem?: string;
  readonly cookies?: string[];
}

const json = (status: number, message: string): Answer => ({ status, body: JSON.stringify({ message }) });

export class LocalHttpApi {
  private readonly cache = new Map<string, { until: number; context: Record<string, unknown> | undefined; authorized: boolean }>();
  private readonly now: () => number;

  constructor(private readonly options: LocalHttpApiOptions) {
    this.now = options.now ?? Date.now;
  }

  public async handle(request: LocalRequest): Promise<LocalResponse> {
    const headers = lowercaseHeaders(request.headers ?? {});
    const [rawPath, rawQuery = ''] = request.path.split('?', 2);
    const cors = this.options.api.cors;
    const routeKeys = this.options.api.routes.map((r) => r.routeKey);
    const isPreflight = request.method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
    let step: LocalResponse['authorizer'];
    const withCors = (r: Answer, routeKey?: string, invoked = false): LocalResponse => ({
      status: r.status,
      notEmulated: r.notEmulated,
      problem: r.problem,
      cookies: r.cookies,
      headers: { 'content-type': 'application/json', ...r.headers, ...corsHeaders(cors, headers, isPreflight) },
      body: r.body,
      routeKey,
      authorizerInvoked: invoked,
      authorizer: step,
    });

    // The Developer Guide does not say what API Gateway answers for a path that is not valid
    // percent-encoding; the local gateway answers 400 rather than fail with a 500.
    if (!isDecodablePath(rawPath)) return withCors(json(400, 'Bad Request'));
    const match = selectRoute(routeKeys, request.method, rawPath);

    // "If you configure CORS for an API, API Gateway automatically sends a response to preflight
    // OPTIONS requests, even if there isn't an OPTIONS route configured" ("Configure CORS for HTTP APIs").
    if (cors && isPreflight && !match) {
      return { status: 204, headers: corsHeaders(cors, headers, true), body: '', authorizerInvoked: false };
    }
    if (!match) return withCors(json(404, 'Not Found'));
    const route = this.options.api.routes.find((r) => r.routeKey === match.routeKey)!;
    const authorizationProblem = authorizationNotEmulated(route)
      ?? (route.authorizer ? this.options.authorizerNotEmulated?.(route.authorizer) : undefined);
    if (authorizationProblem) return withCors(notEmulated(match.routeKey, authorizationProblem, 'authorization'), match.routeKey);

    let authorizerContext: Record<string, unknown> | undefined;
    let invoked = false;
    if (route.authorizer) {
      const decision = await this.authorize(route.authorizer, request, headers, rawPath, rawQuery, match.routeKey);
      invoked = decision.invoked;
      step = decision.step;
      if ('response' in decision) return withCors(decision.response, match.routeKey, invoked);
      authorizerContext = decision.context;
    }
    const result = await this.integrate(route.integration, request, headers, rawPath, rawQuery, match.routeKey, match.pathParameters,
      authorizerContext);
    // API Gateway ignores CORS headers from the integration when CORS is configured ("Configure CORS for HTTP APIs").
    const integrationHeaders = cors ? Object.fromEntries(Object.entries(result.headers ?? {}).filter(([k]) => !k.toLowerCase().startsWith('access-control-'))) : result.headers;
    return withCors({ ...result, headers: integrationHeaders }, match.routeKey, invoked);
  }

  private async authorize(
    authorizer: HttpApiAuthorizer, request: LocalRequest, headers: Record<string, string>, rawPath: string, rawQuery: string, routeKey: string,
  ): Promise<{ invoked: boolean; step: LocalResponse['authorizer']; context?: Record<string, unknown> } | { invoked: boolean; step: LocalResponse['authorizer']; response: Answer }> {
    const values: string[] = [];
    for (const source of authorizer.identitySource) {
      const value = identityValue(source, headers, routeKey);
      if (value === undefined || value === '') return { invoked: false, step: 'identity-missing', response: json(401, 'Unauthorized') };
      values.push(value);
    }
    const key = JSON.stringify([authorizer.logicalId, ...values]);
    const cached = authorizer.ttlSeconds > 0 ? this.cache.get(key) : undefined;
    if (cached && cached.until > this.now()) {
      return cached.authorized ? { invoked: false, step: 'cached', context: cached.context } : { invoked: false, step: 'cached', response: json(403, 'Forbidden') };
    }
    let outcome: AuthorizerOutcome;
    try {
      outcome = await this.options.invokeAuthorizer(authorizer, this.authorizerEvent(request, headers, rawPath, rawQuery, routeKey, values));
    } catch (e) {
      // The authorizer timed out or its process died: an authorizer failure.
      return { invoked: true, step: 'invoked', response: { ...json(500, 'Internal Server Error'), problem: (e as Error).message.split('\n')[0] } };
    }
    if ('error' in outcome) {
      return { invoked: true, step: 'invoked', response: outcome.error === 'Unauthorized' ? json(401, 'Unauthorized') : { ...json(500, 'Internal Server Error'), problem: `the authorizer failed: ${outcome.error}` } };
    }
    const result = outcome.ok as { isAuthorized?: unknown; context?: unknown } | null;
    if (!authorizer.simpleResponses || typeof result !== 'object' || result === null || typeof result.isAuthorized !== 'boolean') {
      return { invoked: true, step: 'invoked', response: { ...json(500, 'Internal Server Error'), problem: 'the authorizer\'s answer is not a simple response' } };
    }
    const context = (result.context ?? undefined) as Record<string, unknown> | undefined;
    const until = this.now() + authorizer.ttlSeconds * 1000;
    if (authorizer.ttlSeconds > 0) this.cache.set(key, { until, context, authorized: result.isAuthorized });
    return result.isAuthorized ? { invoked: true, step: 'invoked', context } : { invoked: true, step: 'invoked', response: json(403, 'Forbidden') };
  }

  private requestContext(request: LocalRequest, headers: Record<string, string>, rawPath: string, routeKey: string) {
    return {
      accountId: '123456789012',
      apiId: this.options.apiId ?? 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${this.now()}`,
      routeKey,
      stage: this.options.stage ?? '$default',
      time: new Date(this.now()).toISOString(),
      timeEpoch: this.now(),
    };
  }

  private authorizerEvent(
    request: LocalRequest, headers: Record<string, string>, rawPath: string, rawQuery: string, routeKey: string, identitySource: string[],
  ) {
    const [method, path] = routeKey === '$default' ? [request.method, rawPath] : routeKey.split(' ');
    return {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:us-east-1:123456789012:${this.options.apiId ?? 'local'}/${this.options.stage ?? '$default'}/${method === 'ANY' ? request.method : method}${path}`,
      identitySource,
      routeKey,
      rawPath,
      rawQueryString: rawQuery,
      headers,
      requestContext: this.requestContext(request, headers, rawPath, routeKey),
    };
  }

  private async integrate(
    integration: HttpApiIntegration | undefined, request: LocalRequest, headers: Record<string, string>, rawPath: string, rawQuery: string,
    routeKey: string, pathParameters: Record<string, string>, authorizerContext: Record<string, unknown> | undefined,
  ): Promise<Answer> {
    if (integration?.kind === 'lambda') {
      const fn = this.options.api.functions.get(integration.functionLogicalId);
      const problem = !fn ? `function ${integration.functionLogicalId} is not in the template`
        : integration.payloadFormatVersion !== '2.0' ? `payload format ${integration.payloadFormatVersion} (only 2.0 is emulated)`
          : this.options.functions.problem(fn);
      if (problem || !fn) return notEmulated(routeKey, problem ?? 'no function');
      const event = {
        version: '2.0',
        routeKey,
        rawPath,
        rawQueryString: rawQuery,
        headers,
        pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
        requestContext: {
          ...this.requestContext(request, headers, rawPath, routeKey),
          authorizer: authorizerContext ? { lambda: authorizerContext } : undefined,
        },
        body: request.body,
        isBase64Encoded: false,
      };
      let outcome;
      try {
        const integrationTimeoutMs = integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
        outcome = await this.options.functions.invoke(fn, JSON.parse(JSON.stringify(event)), { integrationTimeoutMs });
      } catch (e) {
        // API Gateway gave up first: 503 (see the HTTP proxy case below). The function's own Timeout
        // or a crash is a function error: 500.
        const why = (e as Error).message.split('\n')[0];
        return e instanceof FunctionTimeoutError && e.byIntegration ? { ...json(503, 'Service Unavailable'), problem: why } : { ...json(500, 'Internal Server Error'), problem: why };
      }
      // A function error: HTTP APIs answer 500 ("Troubleshooting issues with HTTP API Lambda integrations",
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
      if ('error' in outcome) return { ...json(500, 'Internal Server Error'), problem: `function error: ${outcome.error}` };
      const read = readHttpProxyResponse(outcome.ok);
      return 'problem' in read ? { ...json(500, 'Internal Server Error'), problem: `malformed Lambda response: ${read.problem}` } : read;
    }
    if (integration?.kind === 'http') {
      const target = integration.url.replace(/\{proxy\+?\}/, pathParameters.proxy ?? '');
      let url: URL;
      try {
        url = new URL(target + (rawQuery ? `?${rawQuery}` : ''));
      } catch {
        return notEmulated(routeKey, `its URL ${JSON.stringify(integration.url)} is not a literal URL`);
      }
      const method = integration.method === 'ANY' ? request.method : integration.method;
      const answer = await forwardHttp(url, method, headers, request.body, integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS);
      // An endpoint that cannot be reached or does not answer in time: API Gateway answers with a 5XX
      // of its own, never the endpoint's. (The exact status for HTTP APIs is not documented; 503
      // `Service Unavailable` is what they are reported to answer on an integration timeout.)
      if (answer.gatewayError) return answer.gatewayError === 'INTEGRATION_TIMEOUT' ? json(503, 'Service Unavailable') : json(500, 'Internal Server Error');
      return answer;
    }
    return notEmulated(routeKey, integration === undefined ? 'the route has no integration' : integration.description);
  }
}

/** 501 for an integration (or authorization) the local HTTP API does not run: it never makes up a response. */
function notEmulated(routeKey: string, why: string, what: 'integration' | 'authorization' = 'integration'): Answer {
  const message = `The local HTTP API cannot run the ${what} of route ${routeKey}: ${why}.`;
  return { status: 501, body: JSON.stringify({ message }), headers: { 'content-type': 'application/json', 'x-local-gateway': 'not-emulated' }, notEmulated: message };
}

/**
 * Payload 2.0 headers: names lowercased, repeated headers joined with commas ("Working with AWS
 * Lambda proxy integrations for HTTP APIs", payload format 2.0).
 */
function lowercaseHeaders(given: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(',') : value;
    out[key] = out[key] === undefined ? joined : `${out[key]},${joined}`;
  }
  return out;
}

function identityValue(source: string, headers: Record<string, string>, routeKey: string): string | undefined {
  if (source.startsWith('$request.header.')) return headers[source.slice('$request.header.'.length).toLowerCase()];
  if (source === '$context.routeKey') return routeKey;
  return undefined;
}

/**
 * The CORS headers API Gateway adds for a request with an allowed `Origin` ("Configure CORS for
 * HTTP APIs"). The guide states they are added to integration responses; this emulation adds them
 * to API Gateway's own 401/403/404 too, which the guide neither states nor excludes.
 */
function corsHeaders(cors: HttpApiCors | undefined, headers: Record<string, string>, preflight: boolean): Record<string, string> {
  const origin = headers.origin;
  if (!cors || !origin) return {};
  const allowed = cors.allowOrigins.includes(origin) || cors.allowOrigins.includes('*');
  if (!allowed) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': cors.allowOrigins.includes(origin) ? origin : '*' };
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (!preflight && cors.exposeHeaders.length > 0) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (preflight) {
    out['access-control-allow-methods'] = cors.allowMethods.join(',');
    if (cors.allowHeaders.length > 0) out['access-control-allow-headers'] = cors.allowHeaders.join(',');
    if (cors.maxAge !== undefined) out['access-control-max-age'] = String(cors.maxAge);
  }
  return out;
}
