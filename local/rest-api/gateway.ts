/**
 * A local API Gateway (REST) that follows a synthesized template: it routes a request to the
 * template's method, skips authorization where the method has none, otherwise calls the template's
 * Lambda authorizer (its asset, with its environment, as API Gateway invokes it), keeps API
 * Gateway's authorizer result cache keyed by the identity source values, turns the outcome into
 * 401 / 403 / 500 by API Gateway's rules, and finally runs the integration.
 *
 * One implementation, used by the end-to-end tests, by `npm run dev` and by the command.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { authorizerEvent, identityValue, LOCAL_API_ID, proxyEvent, type GatewayRequest, type Match, type ProxyEvent } from './events';
import { httpProxyAnswer, lambdaProxyAnswer, mockAnswer, notEmulated, type IntegrationAnswer } from './integrations';
import { evaluatePolicy, methodArn, resultProblem } from './policy';
import { matchRoute } from './routing';
import type { TemplateApi, TemplateAuthorizer, TemplateFunction } from './template-api';
import { FunctionRunner } from '../lambda/function-runner';
import { LambdaProcess, type InvocationOutcome } from '../lambda/lambda-process';

export { LOCAL_API_ID, type GatewayRequest } from './events';

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
  readonly backendEvent?: ProxyEvent;
  /** Log lines the authorizer wrote during this request (parsed JSON). */
  readonly authorizerLogs?: Record<string, unknown>[];
  /** Set on a 501: why the integration was not run locally. */
  readonly notEmulated?: string;
  /** Why API Gateway answered with an error of its own (malformed answer, timeout): for the log, never the client. */
  readonly problem?: string;
}

export interface GatewayOptions {
  /** Milliseconds since the epoch; tests may move time. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The directory to run an authorizer function from. Default: its asset as synthesized. The
   * command passes a copy whose configuration points at the local issuer.
   */
  readonly authorizerDir?: (fn: TemplateFunction) => string;
  /** Runs backend functions; default a runner of its own, stopped with the gateway. */
  readonly functions?: FunctionRunner;
}

interface CacheEntry {
  readonly result: APIGatewayAuthorizerResult;
  readonly expiresAt: number;
}

type AuthorizerProcess = LambdaProcess<APIGatewayAuthorizerResult>;

/** What authorizing one request decided: a result to evaluate, or a gateway error (with why, for the log). */
type Decision = { step: AuthorizerStep; logs?: Record<string, unknown>[] }
  & ({ result: APIGatewayAuthorizerResult } | { error: string; problem?: string });

/**
 * API Gateway's own answers: status, message, the `x-amzn-ErrorType` it names, and the family whose
 * gateway response applies when the type has none. With no gateway response in the template, 4XX
 * bodies are `{"message":"..."}` (the default template `{"message":$context.error.messageString}`),
 * the 5XX ones `{"message": "..."}`, as clients receive them: 403 `Missing Authentication Token`
 * with `MissingAuthenticationTokenException` for a path or method with no method, as recorded against
 * AWS in LocalStack's tests/aws/services/apigateway/test_apigateway_common.snapshot.json
 * (TestApigatewayRouting::test_routing_not_found); 500 `{"message": null}` with
 * `AuthorizerConfigurationException` for an authorizer that fails or answers what API Gateway cannot
 * use; 502 `Internal server error` for a function error or malformed proxy answer
 * (https://repost.aws/knowledge-center/malformed-502-api-gateway); 504 `Endpoint request timed out`
 * past the integration timeout (https://repost.aws/knowledge-center/api-gateway-504-errors).
 */
const GATEWAY_ERRORS: Record<string, { status: number; message: string | null; exception: string; family: 'DEFAULT_4XX' | 'DEFAULT_5XX' }> = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', exception: 'UnauthorizedException', family: 'DEFAULT_4XX' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource with an explicit deny', exception: 'AccessDeniedException', family: 'DEFAULT_4XX' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', exception: 'MissingAuthenticationTokenException', family: 'DEFAULT_4XX' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, exception: 'AuthorizerConfigurationException', family: 'DEFAULT_5XX' },
  BAD_GATEWAY: { status: 502, message: 'Internal server error', exception: 'InternalServerErrorException', family: 'DEFAULT_5XX' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', exception: 'InternalServerErrorException', family: 'DEFAULT_5XX' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', exception: 'InternalServerErrorException', family: 'DEFAULT_5XX' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', exception: 'ApiConfigurationException', family: 'DEFAULT_5XX' },
};

export class GatewaySimulator {
  /** Starts a process for each authorizer function this gateway can run. */
  public static async start(api: TemplateApi, options: GatewayOptions = {}): Promise<GatewaySimulator> {
    const processes = new Map<string, AuthorizerProcess>();
    const starters = new Map<string, () => Promise<AuthorizerProcess>>();
    try {
      for (const authorizer of api.authorizers.values()) {
        if (authorizer.problem || processes.has(authorizer.functionId)) continue;
        const fn = functionOf(api, authorizer.functionId);
        if (!fn.assetDir) throw new Error(`function ${fn.logicalId} has no code asset (aws:asset:path); synthesize with asset metadata enabled`);
        const dir = options.authorizerDir?.(fn) ?? fn.assetDir;
        const startOne = () => LambdaProcess.start<APIGatewayAuthorizerResult>(dir, {
          handler: fn.handler,
          functionName: fn.logicalId,
          env: { ...fn.environment, AWS_REGION: 'us-east-1', ...(fn.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}) },
          invokeTimeoutMs: fn.timeoutSeconds * 1000,
        });
        starters.set(fn.logicalId, startOne);
        processes.set(fn.logicalId, await startOne());
      }
    } catch (e) {
      await Promise.all([...processes.values()].map((p) => p.stop()));
      throw e;
    }
    return new GatewaySimulator(api, processes, starters, options.now ?? Date.now, options.functions);
  }

  /** How often each authorizer function ran, in total. */
  public authorizerInvocations = 0;

  private readonly cache = new Map<string, CacheEntry>();
  private readonly restarts = new Map<string, Promise<AuthorizerProcess>>();
  private readonly functions: FunctionRunner;
  private readonly ownsFunctions: boolean;

  private constructor(
    public readonly api: TemplateApi,
    private readonly processes: Map<string, AuthorizerProcess>,
    /** Starts a fresh process for an authorizer function whose process timed out or died, as Lambda would. */
    private readonly starters: Map<string, () => Promise<AuthorizerProcess>>,
    private readonly now: () => number,
    functions: FunctionRunner | undefined,
  ) {
    this.functions = functions ?? new FunctionRunner();
    this.ownsFunctions = functions === undefined;
  }

  /** Forgets every cached authorizer result. */
  public clearCache(): void {
    this.cache.clear();
  }

  /** Answers one request as API Gateway would. */
  public async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const method = request.method.toUpperCase();
    const match = matchRoute(this.api.methods, method, request.path);
    if (!match) return this.gatewayError('MISSING_AUTHENTICATION_TOKEN');
    const route = `${match.method.httpMethod} ${match.method.resourcePath}`;

    let authorizerStep: AuthorizerStep = 'not-required';
    let result: APIGatewayAuthorizerResult | undefined;
    let logs: Record<string, unknown>[] | undefined;
    if (match.method.authorizationType === 'CUSTOM') {
      const authorizer = this.api.authorizers.get(match.method.authorizerId ?? '');
      if (!authorizer) return { ...this.gatewayError('API_CONFIGURATION_ERROR'), route };
      if (authorizer.problem) return { ...this.answer(notEmulated(route, match.method.integration, authorizer.problem)), route };
      const decided = await this.authorize(authorizer, method, request, match);
      authorizerStep = decided.step;
      logs = decided.logs;
      if ('error' in decided) return { ...this.gatewayError(decided.error), route, authorizer: authorizerStep, authorizerLogs: logs, problem: decided.problem };
      result = decided.result;
      const arn = methodArn(method, request.path, this.api.stageName, LOCAL_API_ID);
      if (evaluatePolicy(result.policyDocument, arn) !== 'allow') {
        return { ...this.gatewayError('ACCESS_DENIED'), route, authorizer: authorizerStep, authorizerLogs: logs };
      }
    } else if (match.method.authorizationType !== 'NONE') {
      const why = `authorization type ${match.method.authorizationType} needs AWS to evaluate`;
      return { ...this.answer(notEmulated(route, match.method.integration, why)), route };
    }

    const event = proxyEvent(method, request, match, this.api.stageName, result);
    const answer = await this.integrate(match, route, request, event);
    return { ...this.answer(answer), route, authorizer: authorizerStep, authorizerLogs: logs, backendEvent: match.method.integration.type === 'AWS_PROXY' ? event : undefined };
  }

  /**
   * What the authorizer returns for this request, fresh (no cache): the result it would leave in
   * API Gateway's cache, or `undefined` when it refuses or the route needs no authorizer.
   */
  public async authorizerResult(request: GatewayRequest): Promise<APIGatewayAuthorizerResult | undefined> {
    const method = request.method.toUpperCase();
    const match = matchRoute(this.api.methods, method, request.path);
    const authorizer = match && this.api.authorizers.get(match.method.authorizerId ?? '');
    if (!match || !authorizer) return undefined;
    const { outcome } = await this.invoke(authorizer, method, request, match);
    return 'ok' in outcome ? outcome.ok : undefined;
  }

  public async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    if (this.ownsFunctions) await this.functions.stop();
  }

  private async authorize(authorizer: TemplateAuthorizer, method: string, request: GatewayRequest, match: Match): Promise<Decision> {
    const caching = authorizer.resultTtlSeconds > 0;
    const values = authorizer.identitySource.map((source) => identityValue(source, method, request, match, this.api.stageName));
    // An identity source missing, null or empty: 401 without calling the authorizer
    // (https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer, REQUEST authorizers).
    if (values.some((v) => v === undefined || v === '')) return { step: 'identity-missing', error: 'UNAUTHORIZED' };
    const key = `${authorizer.logicalId}\u0000${values.join('\u0000')}`;
    const cached = caching ? this.cache.get(key) : undefined;
    if (cached && cached.expiresAt > this.now()) return { step: 'cached', result: cached.result };

    let invoked;
    try {
      invoked = await this.invoke(authorizer, method, request, match);
    } catch (e) {
      // A timeout or crash of the authorizer function: 500 AuthorizerConfigurationException.
      return { step: 'invoked', error: 'AUTHORIZER_CONFIGURATION_ERROR', problem: (e as Error).message.split('\n')[0] };
    }
    const { outcome, logs } = invoked;
    if ('error' in outcome) {
      // Exactly "Unauthorized" is API Gateway's signal for 401; anything else is a 500 with a null
      // message (observed on AWS: https://loige.co/debugging-custom-apigateway-authorizers/).
      return outcome.error === 'Unauthorized'
        ? { step: 'invoked', logs, error: 'UNAUTHORIZED' }
        : { step: 'invoked', logs, error: 'AUTHORIZER_CONFIGURATION_ERROR', problem: `the authorizer failed: ${outcome.error}` };
    }
    const unusable = resultProblem(outcome.ok);
    if (unusable !== undefined) return { step: 'invoked', logs, error: 'AUTHORIZER_CONFIGURATION_ERROR', problem: `the authorizer's answer is unusable: ${unusable}` };
    if (caching) this.cache.set(key, { result: outcome.ok, expiresAt: this.now() + authorizer.resultTtlSeconds * 1000 });
    return { step: 'invoked', logs, result: outcome.ok };
  }

  /** Invokes the authorizer function as API Gateway does, bypassing the cache. */
  private async invoke(authorizer: TemplateAuthorizer, method: string, request: GatewayRequest, match: Match):
  Promise<{ outcome: InvocationOutcome<APIGatewayAuthorizerResult>; logs: Record<string, unknown>[] }> {
    let process = this.processes.get(authorizer.functionId);
    const start = this.starters.get(authorizer.functionId);
    if (process && !process.alive && start) {
      // Concurrent requests share one restart.
      let restart = this.restarts.get(authorizer.functionId);
      if (!restart) {
        restart = start().then((fresh) => {
          this.processes.set(authorizer.functionId, fresh);
          return fresh;
        }).finally(() => this.restarts.delete(authorizer.functionId));
        this.restarts.set(authorizer.functionId, restart);
      }
      process = await restart;
    }
    if (!process) throw new Error(`authorizer ${authorizer.logicalId} is not running`);
    this.authorizerInvocations += 1;
    process.clearOutput();
    const outcome = await process.invoke(authorizerEvent(method, request, match, this.api.stageName));
    return { outcome, logs: process.logLines() };
  }

  private async integrate(match: Match, route: string, request: GatewayRequest, event: ProxyEvent): Promise<IntegrationAnswer> {
    const integration = match.method.integration;
    if (integration.problem) return notEmulated(route, integration, integration.problem);
    switch (integration.type) {
      case 'MOCK': return mockAnswer(integration) ?? notEmulated(route, integration, 'it has no default response');
      case 'AWS_PROXY': return lambdaProxyAnswer(this.api, integration, route, this.functions, event);
      case 'HTTP_PROXY': return httpProxyAnswer(integration, route, match, request);
      default: return notEmulated(route, integration, `integration type ${integration.type} is not emulated`);
    }
  }

  private answer(answer: IntegrationAnswer): Pick<GatewayResponse, 'status' | 'headers' | 'body' | 'errorType' | 'notEmulated' | 'problem'> {
    if (answer.gatewayError) return { ...this.gatewayError(answer.gatewayError), problem: answer.problem };
    return { status: answer.status, headers: answer.headers, body: answer.body, notEmulated: answer.notEmulated };
  }

  /** A response API Gateway generates itself, shaped by the template's gateway responses. */
  private gatewayError(type: string): Pick<GatewayResponse, 'status' | 'headers' | 'body' | 'errorType'> {
    const known = GATEWAY_ERRORS[type] ?? GATEWAY_ERRORS.API_CONFIGURATION_ERROR;
    const custom = this.api.gatewayResponses.get(type) ?? this.api.gatewayResponses.get(known.family);
    const template = custom?.templates['application/json']
      ?? (known.family === 'DEFAULT_5XX' ? '{"message": $context.error.messageString}' : '{"message":$context.error.messageString}');
    const body = template
      .replace(/\$context\.error\.messageString/g, JSON.stringify(known.message))
      .replace(/\$context\.error\.message/g, known.message ?? '');
    return {
      status: custom?.statusCode ?? known.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': known.exception, ...lowerCaseKeys(custom?.headers ?? {}) },
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
