/**
 * Serves one REST API on 127.0.0.1: `http://127.0.0.1:<port>/<stage>/<path>`, as its execute-api
 * URL would be, every request answered by the {@link GatewaySimulator}.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { GatewaySimulator } from './gateway';
import { BodyTooLargeError, readBody } from '../http-io';

export interface RestApiServerOptions {
  readonly port: number;
  readonly log: (line: string) => void;
  readonly onActivity: () => void;
}

export class RestApiServer {
  public static async start(gateway: GatewaySimulator, options: RestApiServerOptions): Promise<RestApiServer> {
    const server = createServer();
    const api = new RestApiServer(server, gateway, options);
    server.on('request', (req, res) => void api.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
    return api;
  }

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly gateway: GatewaySimulator,
    private readonly options: RestApiServerOptions,
  ) {}

  public get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.gateway.api.stageName}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.options.onActivity();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefix = `/${this.gateway.api.stageName}`;
    let answer: { status: number; headers: Record<string, string>; body: string };
    let note = '';
    try {
      if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
        // What execute-api answers for a path outside every stage.
        note = `not under the stage ${prefix}`;
        answer = { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' }, body: '{"message":"Missing Authentication Token"}' };
      } else {
        const query: Record<string, string[]> = {};
        for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
        const headers: Record<string, string[]> = {};
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i];
          headers[name] = [...(headers[name] ?? []), req.rawHeaders[i + 1]];
        }
        const body = await readBody(req);
        const response = await this.gateway.handle({
          method: req.method ?? 'GET',
          path: url.pathname.slice(prefix.length) || '/',
          headers,
          query,
          body: body?.toString('utf8'),
        });
        const refusal = response.authorizerLogs?.find((l) => 'reason' in l)?.reason;
        note = [response.route, response.authorizer && `authorizer: ${response.authorizer}`, refusal && `reason: ${String(refusal)}`, response.errorType, response.notEmulated]
          .filter(Boolean).join(', ');
        answer = response;
      }
    } catch (e) {
      const tooLarge = e instanceof BodyTooLargeError;
      note = (e as Error).message;
      answer = { status: tooLarge ? 413 : 500, headers: { 'content-type': 'application/json' }, body: tooLarge ? '{"message":"Request Too Long"}' : '{"message":"Internal server error"}' };
    }
    // Logged before answering, so whoever reads the log after the response finds the line.
    this.options.log(`${req.method} ${url.pathname} → ${answer.status}${note ? `  (${note})` : ''}`);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }
}
