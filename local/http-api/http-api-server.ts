/**
 * Serves one local HTTP API on 127.0.0.1, through the loopback server every kind shares. HTTP APIs
 * of this library deploy the `$default` stage, whose URL has no stage segment: every path is the
 * route path itself.
 */
import type { LocalHttpApi } from './gateway';
import { ApiServer, type ApiServerOptions } from '../api-server';

export interface ServedHttpApi {
  /** `http://127.0.0.1:{port}` */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export async function serveHttpApi(api: LocalHttpApi, options: ApiServerOptions): Promise<ServedHttpApi> {
  const server = await ApiServer.start(async (request) => {
    // Leading slashes are one, as REST APIs are recorded to treat them (see rest-api-server.ts); for
    // HTTP APIs this is an assumption no evidence settles yet (README, "Run your API locally": assumed until checked on AWS).
    const path = request.path.replace(/^\/+/, '/');
    const response = await api.handle({
      method: request.method,
      path: request.rawQuery ? `${path}?${request.rawQuery}` : path,
      headers: request.headers,
      body: request.body,
    });
    const note = [response.routeKey, response.authorizer && `authorizer: ${response.authorizer}`, response.notEmulated, response.problem].filter(Boolean).join(', ');
    return { ...response, note };
  }, options);
  return { baseUrl: server.origin, stop: () => server.stop() };
}
