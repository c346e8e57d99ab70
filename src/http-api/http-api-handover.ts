import { Annotations, Stack } from 'aws-cdk-lib';
import { CfnApi, CfnStage, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';

/** The props that shape an API the construct creates; with `httpApi` they would be ignored. */
const CREATION_PROPS = ['httpApiProps', 'cors', 'throttle', 'accessLogGroup'] as const;

/**
 * Checks an HTTP API handed to the construct (`httpApi`) and the props given with it. Only an
 * `HttpApi` defined in this app can be taken over: an imported one (`HttpApi.fromHttpApiAttributes`)
 * has routes this app cannot see or change, so it is refused.
 */
export function checkHttpApiHandover(httpApi: unknown, props: Record<string, unknown>): HttpApi {
  if (!(httpApi instanceof HttpApi)) {
    const what = httpApi !== null && typeof httpApi === 'object' && 'node' in httpApi ? `the construct at ${(httpApi as IConstruct).node.path}` : typeof httpApi;
    throw new Error(`httpApi: ${what} is not an HttpApi defined in this app (an imported API, HttpApi.fromHttpApiAttributes, has routes this app cannot see). `
      + 'Hand over the HttpApi construct itself, or put an Auth0HttpAuthorizer on the routes you define.');
  }
  const conflicting = CREATION_PROPS.filter((name) => props[name] !== undefined);
  if (conflicting.length > 0) {
    throw new Error(`httpApi: ${conflicting.join(', ')} ${conflicting.length === 1 ? 'is' : 'are'} set too, but ${conflicting.length === 1 ? 'it shapes' : 'they shape'} only an API this construct creates. `
      + 'A handed-over HTTP API keeps its own stage, logging, throttling and CORS: set them on your HttpApi and its stage, and remove them here.');
  }
  return httpApi;
}

/** Whether the API answers CORS preflight itself (its `corsPreflight` option). */
export function hasCorsConfiguration(httpApi: HttpApi): boolean {
  const api = httpApi.node.defaultChild as CfnApi;
  return Stack.of(api).resolve(api.corsConfiguration) !== undefined;
}

/** The request headers the handed-over API's own CORS configuration allows (none listed: none), and whether with credentials. */
export function ownerCors(httpApi: HttpApi): { allowHeaders: string[]; allowCredentials: boolean } {
  const api = httpApi.node.defaultChild as CfnApi;
  const cors = Stack.of(api).resolve(api.corsConfiguration) as { allowHeaders?: unknown; allowCredentials?: unknown } | undefined;
  const allowHeaders = Array.isArray(cors?.allowHeaders) ? cors.allowHeaders.filter((h): h is string => typeof h === 'string') : [];
  return { allowHeaders, allowCredentials: cors?.allowCredentials === true };
}

/** Stage settings stay the owner's; an unlogged stage is legal, but nobody could tell who called what. */
export function warnIfNoHttpAccessLogs(scope: IConstruct, httpApi: HttpApi): void {
  const stage = httpApi.defaultStage?.node.defaultChild as CfnStage | undefined;
  const settings = stage === undefined ? undefined : Stack.of(stage).resolve(stage.accessLogSettings) as { destinationArn?: unknown } | undefined;
  if (settings?.destinationArn === undefined) {
    Annotations.of(scope).addWarningV2('cdk-auth0-protected-api:noAccessLogs',
      'httpApi: the default stage writes no access logs (or the API has no default stage), so refused and allowed calls leave no trace. '
      + 'Set accessLogSettings on your stage ((stage.node.defaultChild as CfnStage).accessLogSettings = { destinationArn, format }).');
  }
}
