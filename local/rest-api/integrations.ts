/**
 * What a REST API method's integration answers locally: a MOCK's default response, a Lambda proxy
 * integration's function (run by the {@link FunctionRunner}), an HTTP proxy integration forwarded to
 * its URL. Anything else answers 501 with a body naming the integration and saying why: the local
 * gateway never makes up a response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
 */
import type { GatewayRequest, Match } from './events';
import { readRestProxyResponse } from './proxy-response';
import type { TemplateApi, TemplateIntegration } from './template-api';
import { forwardHttp, type ForwardedAnswer } from '../http-forward';
import { FunctionTimeoutError, type FunctionRunner } from '../lambda/function-runner';

/**
 * How long a REST API waits for an integration by default: 29 s, the integration timeout whose
 * expiry is a 504 (https://repost.aws/knowledge-center/api-gateway-504-errors); `TimeoutInMillis`
 * changes it.
 */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface IntegrationAnswer extends ForwardedAnswer {
  /** Set on a 501: why the integration was not run. */
  readonly notEmulated?: string;
  /** Why API Gateway answered by itself instead (for the log line; never sent to the client). */
  readonly problem?: string;
}

export function notEmulated(route: string, integration: TemplateIntegration, why: string): IntegrationAnswer {
  const message = `${integration.type} integration of ${route} is not run locally: ${why}`;
  return {
    status: 501,
    headers: { 'content-type': 'application/json', 'x-local-gateway': 'not-emulated' },
    body: JSON.stringify({ message }),
    notEmulated: message,
  };
}

export function mockAnswer(integration: TemplateIntegration): IntegrationAnswer | undefined {
  if (!integration.mockResponse) return undefined;
  const { statusCode, headers, body } = integration.mockResponse;
  return { status: statusCode, headers: { ...headers }, body };
}

/** Runs the function of an `AWS_PROXY` integration with `event` and reads its proxy response. */
export async function lambdaProxyAnswer(
  api: TemplateApi, integration: TemplateIntegration, route: string, functions: FunctionRunner, event: Json,
): Promise<IntegrationAnswer> {
  const fn = api.functions.get(integration.functionId ?? '');
  if (!fn) return notEmulated(route, integration, `function ${integration.functionId} is not in the template`);
  const cannotRun = functions.problem(fn);
  if (cannotRun) return notEmulated(route, integration, cannotRun);
  let outcome;
  try {
    const integrationTimeoutMs = integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    outcome = await functions.invoke(fn, JSON.parse(JSON.stringify(event)), { integrationTimeoutMs });
  } catch (e) {
    // API Gateway gave up first: 504. The function's own Timeout, or its process dying, is a function
    // error that Lambda reports, which API Gateway answers with 502 ("Lambda execution failed ... due
    // to customer function error", https://repost.aws/knowledge-center/malformed-502-api-gateway).
    const timedOut = e instanceof FunctionTimeoutError && e.byIntegration;
    const problem = (e as Error).message.split('\n')[0];
    return { status: timedOut ? 504 : 502, headers: {}, body: '', gatewayError: timedOut ? 'INTEGRATION_TIMEOUT' : 'BAD_GATEWAY', problem };
  }
  if ('error' in outcome) return { status: 502, headers: {}, body: '', gatewayError: 'BAD_GATEWAY', problem: `function error: ${outcome.error}` };
  const read = readRestProxyResponse(outcome.ok);
  if ('problem' in read) return { status: 502, headers: {}, body: '', gatewayError: 'BAD_GATEWAY', problem: `Malformed Lambda proxy response: ${read.problem}` };
  return read;
}

/** The URL an `HTTP_PROXY` integration calls: its URI with path parameters substituted, plus the query string. */
export function httpProxyUrl(integration: TemplateIntegration, match: Match, request: GatewayRequest): URL | string {
  const params = match.pathParameters ?? {};
  let missing: string | undefined;
  const uri = (integration.uri ?? '').replace(/\{([^}]+)\}/g, (_all, name: string) => {
    const source = integration.pathMappings?.[name];
    const value = source === undefined ? undefined : params[source];
    if (value === undefined) {
      missing = name;
      return '';
    }
    // A greedy parameter keeps its slashes.
    return value.split('/').map(encodeURIComponent).join('/');
  });
  if (missing !== undefined) return `its URI names {${missing}}, which no integration.request.path.${missing} request parameter maps`;
  const url = new URL(uri);
  for (const [name, values] of Object.entries(request.query ?? {})) {
    for (const value of Array.isArray(values) ? values : [values]) url.searchParams.append(name, value);
  }
  return url;
}

export async function httpProxyAnswer(
  integration: TemplateIntegration, route: string, match: Match, request: GatewayRequest,
): Promise<IntegrationAnswer> {
  const url = httpProxyUrl(integration, match, request);
  if (typeof url === 'string') return notEmulated(route, integration, url);
  const method = integration.integrationHttpMethod === 'ANY' ? request.method : integration.integrationHttpMethod ?? request.method;
  return forwardHttp(url, method, request.headers ?? {}, request.body, integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS);
}
