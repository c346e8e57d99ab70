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
    const response = await api.handle({
      method: request.method,
      path: request.rawQuery ? `${request.path}?${request.rawQuery}` : request.path,
      headers: request.headers,
      body: request.body,
    });
    const note = [response.routeKey, response.authorizerInvoked && 'authorizer: invoked', response.notEmulated].filter(Boolean).join(', ');
    return { ...response, note };
  }, options);
  return { baseUrl: server.origin, stop: () => server.stop() };
}
