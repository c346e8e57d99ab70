/**
 * Serves one REST API on 127.0.0.1: `http://127.0.0.1:<port>/<stage>/<path>`, as its execute-api
 * URL would be, every request answered by the {@link GatewaySimulator}.
 */
import type { GatewaySimulator } from './gateway';
import { ApiServer, type ApiServerOptions, type ServedAnswer, type ServedRequest } from '../api-server';

export type RestApiServerOptions = ApiServerOptions;

export class RestApiServer {
  public static async start(gateway: GatewaySimulator, options: RestApiServerOptions): Promise<RestApiServer> {
    return new RestApiServer(gateway, await ApiServer.start((request) => answer(gateway, request), options));
  }

  private constructor(private readonly gateway: GatewaySimulator, private readonly server: ApiServer) {}

  public get baseUrl(): string {
    return `${this.server.origin}/${this.gateway.api.stageName}`;
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }
}

/**
 * Slashes before the stage, and between the stage and the path, are one slash to API Gateway:
 * `//stage/x` and `/stage//x` reach `/x` (recorded against AWS in LocalStack's
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration:
 * "invocation-payload-with-prepended-slash-to-stage" and "invocation-payload-with-prepended-slash").
 */
const collapseLeadingSlashes = (path: string) => path.replace(/^\/+/, '/');

async function answer(gateway: GatewaySimulator, request: ServedRequest): Promise<ServedAnswer> {
  const prefix = `/${gateway.api.stageName}`;
  const path = collapseLeadingSlashes(request.path);
  if (path !== prefix && !path.startsWith(`${prefix}/`)) {
    // What execute-api answers for a path outside every stage.
    return {
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
      body: '{"message":"Missing Authentication Token"}',
      note: `not under the stage ${prefix}`,
    };
  }
  const response = await gateway.handle({
    method: request.method,
    path: collapseLeadingSlashes(path.slice(prefix.length) || '/'),
    headers: request.headers,
    query: request.query,
    body: request.body,
  });
  const refusal = response.authorizerLogs?.find((l) => 'reason' in l)?.reason;
  const note = [response.route, response.authorizer && `authorizer: ${response.authorizer}`, refusal && `reason: ${String(refusal)}`, response.errorType, response.notEmulated, response.problem]
    .filter(Boolean).join(', ');
  return { ...response, note };
}
