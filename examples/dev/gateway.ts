/**
 * A local API Gateway (REST) that follows a synthesized template: it routes a request to the
 * template's method, skips authorization where the method has none, otherwise calls the template's
 * Lambda authorizer (its deployed asset, with its environment, as API Gateway invokes it), keeps
 * API Gateway's authorizer result cache keyed by the identity source values, turns the outcome into
 * 401 / 403 / 500 by API Gateway's rules, and finally runs the integration: a MOCK's response, or
 * the backend function's inline code with a Lambda proxy event carrying the principal and context.
 *
 * One implementation, used by the end-to-end tests and by `npm run dev`.
 */
import { randomUUID } from 'crypto';
import { runInThisContext } from 'vm';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { TemplateApi, TemplateAuthorizer, TemplateFunction, TemplateMethod } from './template-api';
import { ACCOUNT, callerIdentity, evaluatePolicy, methodArn, resultProblem } from '../../test/support/api-gateway';
import { AuthorizerProcess } from '../../test/support/authorizer-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const LOCAL_API_ID = 'local000001';

export interface GatewayRequest {
  readonly method: string;
  /** The path after the stage, e.g. `/colors/red`. */
  readonly path: string;
  /** Header values; a list sends the header more than once. */
  readonly headers?: Record<string, string | string[]>;
  readonly query?: Record<string, string | string[]>;
  readonly body?: string;
}

/** What happened to the request on the way. */
export type AuthorizerStep =
  | 'not-required' // method without an authorizer (public route, CORS preflight)
  | 'identity-missing' // an identity source was empty: 401 without calling the authorizer
  | 'invoked'
  | 'cached';

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** `METHOD /resource` of the matched method, when one matched. */
  readonly route?: string;
  readonly authorizer?: AuthorizerStep;
  /** The gateway response type API Gateway would log, when it answered itself. */
  readonly errorType?: string;
  /** The proxy event the backend function received. */
  readonly backendEvent?: Json;
  /** Log lines the authorizer wrote during this request (parsed JSON). */
  readonly authorizerLogs?: Record<string, unknown>[];
}

export interface GatewayOptions {
  /** Milliseconds since the epoch; tests may move time. Default `Date.now`. */
  readonly now?: () => number;
}

interface Match {
  readonly method: TemplateMethod;
  readonly pathParameters: Record<string, string> | null;
}

interface CacheEntry {
  readonly result: APIGatewayAuthorizerResult;
  readonly expiresAt: number;
}

type Handler = (event: Json, context: Json) => Promise<Json>;

/** API Gateway's own answers, with their default messages. */
const GATEWAY_ERRORS: Record<string, { status: number; message: string | null; family: 'DEFAULT_4XX' | 'DEFAULT_5XX' }> = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', family: 'DEFAULT_4XX' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource with an explicit deny', family: 'DEFAULT_4XX' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', family: 'DEFAULT_4XX' },
  AUTHORIZER_FAILURE: { status: 500, message: null, family: 'DEFAULT_5XX' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, family: 'DEFAULT_5XX' },
  BAD_GATEWAY: { status: 502, message: 'Internal server error', family: 'DEFAULT_5XX' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', family: 'DEFAULT_5XX' },
};

export class GatewaySimulator {
  /** Starts a process for each authorizer function's asset and loads each backend's inline code. */
  public static async start(api: TemplateApi, options: GatewayOptions = {}): Promise<GatewaySimulator> {
    const processes = new Map<string, AuthorizerProcess>();
    try {
      for (const authorizer of api.authorizers.values()) {
        if (authorizer.type !== 'REQUEST') throw new Error(`authorizer ${authorizer.logicalId}: type ${authorizer.type} is not simulated (REQUEST only)`);
        const fn = functionOf(api, authorizer.functionId);
        if (!fn.assetDir) throw new Error(`function ${fn.logicalId} has no code asset (aws:asset:path); synthesize with asset metadata enabled`);
        if (fn.handler !== 'index.handler') throw new Error(`function ${fn.logicalId}: handler ${fn.handler} is not index.handler`);
        if (!processes.has(fn.logicalId)) {
          processes.set(fn.logicalId, await AuthorizerProcess.startInDirectory(fn.assetDir, { env: { ...fn.environment, AWS_REGION: 'us-east-1' } }));
        }
      }
    } catch (e) {
      await Promise.all([...processes.values()].map((p) => p.stop()));
      throw e;
    }
    return new GatewaySimulator(api, processes, options.now ?? Date.now);
  }

  /** How often each authorizer function ran, in total. */
  public authorizerInvocations = 0;

  private readonly cache = new Map<string, CacheEntry>();
  private readonly handlers = new Map<string, Handler>();

  private constructor(
    public readonly api: TemplateApi,
    private readonly processes: Map<string, AuthorizerProcess>,
    private readonly now: () => number,
  ) {}

  /** Forgets every cached authorizer result. */
  public clearCache(): void {
    this.cache.clear();
  }

  /** Answers one request as API Gateway would. */
  public async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const method = request.method.toUpperCase();
    const match = this.route(method, request.path);
    if (!match) return this.gatewayError('MISSING_AUTHENTICATION_TOKEN');
    const route = `${match.method.httpMethod} ${match.method.resourcePath}`;

    let authorizerStep: AuthorizerStep = 'not-required';
    let result: APIGatewayAuthorizerResult | undefined;
    let logs: Record<string, unknown>[] | undefined;
    if (match.method.authorizationType === 'CUSTOM') {
      const authorizer = this.api.authorizers.get(match.method.authorizerId ?? '');
      if (!authorizer) return { ...this.gatewayError('API_CONFIGURATION_ERROR'), route };
      const decided = await this.authorize(authorizer, method, request, match);
      authorizerStep = decided.step;
      logs = decided.logs;
      if ('error' in decided) return { ...this.gatewayError(decided.error), route, authorizer: authorizerStep, authorizerLogs: logs };
      result = decided.result;
      const arn = methodArn(method, request.path, this.api.stageName, LOCAL_API_ID);
      if (evaluatePolicy(result.policyDocument, arn) !== 'allow') {
        return { ...this.gatewayError('ACCESS_DENIED'), route, authorizer: authorizerStep, authorizerLogs: logs };
      }
    } else if (match.method.authorizationType !== 'NONE') {
      return { ...this.gatewayError('API_CONFIGURATION_ERROR'), route };
    }

    const answer = await this.integrate(match, method, request, result);
    return { ...answer, route, authorizer: authorizerStep, authorizerLogs: logs };
  }

  /**
   * What the authorizer returns for this request, fresh (no cache): the result it would leave in
   * API Gateway's cache, or `undefined` when it refuses or the route needs no authorizer.
   */
  public async authorizerResult(request: GatewayRequest): Promise<APIGatewayAuthorizerResult | undefined> {
    const method = request.method.toUpperCase();
    const match = this.route(method, request.path);
    const authorizer = match && this.api.authorizers.get(match.method.authorizerId ?? '');
    if (!match || !authorizer) return undefined;
    const { outcome } = await this.invoke(authorizer, method, request, match);
    return 'ok' in outcome ? outcome.ok : undefined;
  }

  public async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
  }

  /**
   * API Gateway's routing: literal path parts before `{param}` before `{proxy+}`, a greedy
   * parameter takes one or more segments, then the resource's own method before its `ANY`.
   */
  private route(method: string, path: string): Match | undefined {
    const segments = path === '/' ? [] : path.replace(/^\//, '').split('/');
    if (segments.some((s) => s === '')) return undefined;
    const byPath = new Map<string, TemplateMethod[]>();
    for (const m of this.api.methods) byPath.set(m.resourcePath, [...(byPath.get(m.resourcePath) ?? []), m]);
    const resources = [...byPath.keys()].map((p) => ({ path: p, parts: p === '/' ? [] : p.slice(1).split('/') }));

    const walk = (prefix: string[], i: number, params: Record<string, string>): { path: string; params: Record<string, string> } | undefined => {
      const here = resources.filter((r) => r.parts.length > prefix.length && prefix.every((p, k) => r.parts[k] === p));
      if (i === segments.length) {
        const exact = resources.find((r) => r.parts.length === prefix.length && prefix.every((p, k) => r.parts[k] === p));
        return exact ? { path: exact.path, params } : undefined;
      }
      const next = [...new Set(here.map((r) => r.parts[prefix.length]))];
      const literal = next.find((p) => p === segments[i]);
      if (literal) {
        const found = walk([...prefix, literal], i + 1, params);
        if (found) return found;
      }
      const single = next.find((p) => /^\{[^+}]+\}$/.test(p));
      if (single) {
        const found = walk([...prefix, single], i + 1, { ...params, [single.slice(1, -1)]: decodeURIComponent(segments[i]) });
        if (found) return found;
      }
      const greedy = next.find((p) => /^\{[^}]+\+\}$/.test(p));
      if (greedy) {
        const rest = segments.slice(i).map(decodeURIComponent).join('/');
        return walk([...prefix, greedy], segments.length, { ...params, [greedy.slice(1, -2)]: rest });
      }
      return undefined;
    };
    const found = walk([], 0, {});
    if (!found) return undefined;
    const candidates = byPath.get(found.path) ?? [];
    const chosen = candidates.find((m) => m.httpMethod === method) ?? candidates.find((m) => m.httpMethod === 'ANY');
    if (!chosen) return undefined;
    return { method: chosen, pathParameters: Object.keys(found.params).length > 0 ? found.params : null };
  }

  private async authorize(authorizer: TemplateAuthorizer, method: string, request: GatewayRequest, match: Match):
  Promise<{ step: AuthorizerStep; logs?: Record<string, unknown>[] } & ({ result: APIGatewayAuthorizerResult } | { error: string })> {
    const caching = authorizer.resultTtlSeconds > 0;
    const values = authorizer.identitySource.map((source) => identityValue(source, method, request, match, this.api.stageName));
    // With caching on, API Gateway checks the identity sources first and answers 401 on an empty one.
    if (caching && values.some((v) => v === undefined || v === '')) return { step: 'identity-missing', error: 'UNAUTHORIZED' };
    const key = `${authorizer.logicalId}\u0000${values.join('\u0000')}`;
    const cached = caching ? this.cache.get(key) : undefined;
    if (cached && cached.expiresAt > this.now()) return { step: 'cached', result: cached.result };

    const { outcome, logs } = await this.invoke(authorizer, method, request, match);
    if ('error' in outcome) {
      // Exactly "Unauthorized" is API Gateway's signal for 401; anything else is an authorizer failure.
      return { step: 'invoked', logs, error: outcome.error === 'Unauthorized' ? 'UNAUTHORIZED' : 'AUTHORIZER_FAILURE' };
    }
    if (resultProblem(outcome.ok) !== undefined) return { step: 'invoked', logs, error: 'AUTHORIZER_CONFIGURATION_ERROR' };
    if (caching) this.cache.set(key, { result: outcome.ok, expiresAt: this.now() + authorizer.resultTtlSeconds * 1000 });
    return { step: 'invoked', logs, result: outcome.ok };
  }

  /** Invokes the authorizer function as API Gateway does, bypassing the cache. */
  private async invoke(authorizer: TemplateAuthorizer, method: string, request: GatewayRequest, match: Match) {
    const fn = functionOf(this.api, authorizer.functionId);
    const process = this.processes.get(fn.logicalId)!;
    this.authorizerInvocations += 1;
    process.clearOutput();
    const outcome = await process.invoke(authorizerEvent(method, request, match, this.api.stageName));
    return { outcome, logs: process.logLines() };
  }

  private async integrate(match: Match, method: string, request: GatewayRequest, auth: APIGatewayAuthorizerResult | undefined):
  Promise<Pick<GatewayResponse, 'status' | 'headers' | 'body' | 'backendEvent' | 'errorType'>> {
    const integration = match.method.integration;
    if (integration.type === 'MOCK') {
      if (!integration.mockResponse) return this.gatewayError('API_CONFIGURATION_ERROR');
      const { statusCode, headers, body } = integration.mockResponse;
      return { status: statusCode, headers: { ...headers }, body };
    }
    if (integration.type !== 'AWS_PROXY' || !integration.functionId) return this.gatewayError('API_CONFIGURATION_ERROR');
    const event = proxyEvent(method, request, match, this.api.stageName, auth);
    let response: Json;
    try {
      const context = { awsRequestId: randomUUID(), functionName: integration.functionId };
      response = await this.handler(integration.functionId)(JSON.parse(JSON.stringify(event)), context);
    } catch {
      return { ...this.gatewayError('BAD_GATEWAY'), backendEvent: event };
    }
    if (typeof response !== 'object' || response === null || typeof response.statusCode !== 'number') {
      return { ...this.gatewayError('BAD_GATEWAY'), backendEvent: event };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.multiValueHeaders ?? {})) headers[name.toLowerCase()] = (value as unknown[]).map(String).join(',');
    for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const body = response.isBase64Encoded ? Buffer.from(String(response.body ?? ''), 'base64').toString('utf8') : String(response.body ?? '');
    return { status: response.statusCode, headers, body, backendEvent: event };
  }

  /** The backend's inline code (`Code.ZipFile`), loaded as Lambda loads `index.js`. */
  private handler(functionId: string): Handler {
    const known = this.handlers.get(functionId);
    if (known) return known;
    const fn = functionOf(this.api, functionId);
    if (fn.inlineCode === undefined) throw new Error(`function ${functionId} has no inline code; only inline (ZipFile) backends are run locally`);
    const [file, exportName] = fn.handler.split('.');
    if (file !== 'index' || !exportName) throw new Error(`function ${functionId}: handler ${fn.handler} is not index.<name>`);
    const module = { exports: {} as Record<string, unknown> };
    const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {\n${fn.inlineCode}\n})`, { filename: `${functionId}/index.js` });
    wrapper(module.exports, require, module, `${functionId}/index.js`, functionId);
    const exported = module.exports[exportName];
    if (typeof exported !== 'function') throw new Error(`function ${functionId}: index.js exports no ${exportName} function`);
    const handler = async (event: Json, context: Json) => (exported as Handler)(event, context);
    this.handlers.set(functionId, handler);
    return handler;
  }

  /** A response API Gateway generates itself, shaped by the template's gateway responses. */
  private gatewayError(type: string): Pick<GatewayResponse, 'status' | 'headers' | 'body' | 'errorType'> {
    const known = GATEWAY_ERRORS[type] ?? GATEWAY_ERRORS.API_CONFIGURATION_ERROR;
    const custom = this.api.gatewayResponses.get(type) ?? this.api.gatewayResponses.get(known.family);
    const template = custom?.templates['application/json'] ?? '{"message":$context.error.messageString}';
    const body = template
      .replace(/\$context\.error\.messageString/g, JSON.stringify(known.message))
      .replace(/\$context\.error\.message/g, known.message ?? '');
    return {
      status: custom?.statusCode ?? known.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, ...lowerCaseKeys(custom?.headers ?? {}) },
      body,
      errorType: type,
    };
  }
}

function functionOf(api: TemplateApi, id: string): TemplateFunction {
  const fn = api.functions.get(id);
  if (!fn) throw new Error(`the template has no Lambda function ${id}`);
  return fn;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function multiValue(values: Record<string, string | string[]> | undefined): Record<string, string[]> | null {
  if (!values || Object.keys(values).length === 0) return null;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

function singleValue(values: Record<string, string[]> | null): Record<string, string> | null {
  // API Gateway's single-value view holds the last value of each name.
  return values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[v.length - 1]]));
}

function headerValue(request: GatewayRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!entry) return undefined;
  const value = entry[1];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** The value of one identity source for this request; `undefined` when absent. */
function identityValue(source: string, method: string, request: GatewayRequest, match: Match, stage: string): string | undefined {
  const header = /^method\.request\.header\.(.+)$/.exec(source);
  if (header) return headerValue(request, header[1]);
  const query = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (query) {
    const value = request.query?.[query[1]];
    return Array.isArray(value) ? value[value.length - 1] : value;
  }
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const values: Record<string, string> = { httpMethod: method, resourcePath: match.method.resourcePath, stage, path: `/${stage}${request.path}` };
    return values[context[1]];
  }
  throw new Error(`identity source ${source} is not simulated`);
}

function requestContext(method: string, request: GatewayRequest, match: Match, stage: string) {
  return {
    accountId: ACCOUNT,
    apiId: LOCAL_API_ID,
    httpMethod: method,
    path: `/${stage}${request.path}`,
    stage,
    resourcePath: match.method.resourcePath,
    resourceId: match.method.logicalId,
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
    protocol: 'HTTP/1.1',
    identity: callerIdentity(headerValue(request, 'user-agent') ?? null),
  };
}

/** The REQUEST authorizer event API Gateway sends. */
function authorizerEvent(method: string, request: GatewayRequest, match: Match, stage: string): APIGatewayRequestAuthorizerEvent {
  const multiValueHeaders = multiValue(request.headers) ?? {};
  const multiValueQueryStringParameters = multiValue(request.query);
  return {
    type: 'REQUEST',
    methodArn: methodArn(method, request.path, stage, LOCAL_API_ID),
    resource: match.method.resourcePath,
    path: request.path,
    httpMethod: method,
    headers: singleValue(multiValueHeaders) ?? {},
    multiValueHeaders,
    pathParameters: match.pathParameters,
    queryStringParameters: singleValue(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    stageVariables: null,
    requestContext: { ...requestContext(method, request, match, stage), authorizer: undefined },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** The Lambda proxy event: the authorizer's principal and context under `requestContext.authorizer`. */
function proxyEvent(method: string, request: GatewayRequest, match: Match, stage: string, auth: APIGatewayAuthorizerResult | undefined) {
  const multiValueHeaders = multiValue(request.headers);
  const multiValueQueryStringParameters = multiValue(request.query);
  const authorizer = auth === undefined ? undefined : {
    principalId: auth.principalId,
    // A REST API hands context values to a proxy integration as strings.
    ...Object.fromEntries(Object.entries(auth.context ?? {}).map(([k, v]) => [k, String(v)])),
    integrationLatency: 0,
  };
  return {
    resource: match.method.resourcePath,
    path: request.path,
    httpMethod: method,
    headers: singleValue(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: singleValue(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    pathParameters: match.pathParameters,
    stageVariables: null,
    requestContext: { ...requestContext(method, request, match, stage), authorizer },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}
