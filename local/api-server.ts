/**
 * The loopback HTTP server every kind of local API is served by: it reads each request (repeated
 * headers kept apart, the body bounded by {@link MAX_BODY_BYTES}), hands it to the kind's gateway,
 * logs one line per request and writes the answer. What a request means is the gateway's business.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { BodyTooLargeError, listenOnLoopback, printable, readBody } from './http-io';

/** A request as a local gateway receives it. */
export interface ServedRequest {
  readonly method: string;
  /** The URL path, without the query. */
  readonly path: string;
  /** The query string without `?` (empty when none), for payloads that carry it raw. */
  readonly rawQuery: string;
  readonly query: Record<string, string[]>;
  /** As sent: a name repeated keeps every value, in order. */
  readonly headers: Record<string, string[]>;
  readonly body?: string;
}

export interface ServedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** What the log line adds after the status (route, authorizer step, refusal reason). */
  readonly note?: string;
}

export interface ApiServerOptions {
  /** 0: any free port. */
  readonly port: number;
  readonly log: (line: string) => void;
  readonly onActivity: () => void;
}

export class ApiServer {
  public static async start(handle: (request: ServedRequest) => Promise<ServedAnswer>, options: ApiServerOptions): Promise<ApiServer> {
    let api: ApiServer | undefined;
    const server = await listenOnLoopback(options.port, (req, res) => void api?.respond(req, res), (req) => {
      options.log(printable(`${req.method} ${req.url} → 421  (refused: Host ${req.headers.host ?? '(none)'} is not this server's loopback address)`));
    });
    api = new ApiServer(server, handle, options);
    return api;
  }

  private constructor(
    private readonly server: Server,
    private readonly handle: (request: ServedRequest) => Promise<ServedAnswer>,
    private readonly options: ApiServerOptions,
  ) {}

  /** `http://127.0.0.1:<port>` */
  public get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.options.onActivity();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let answer: ServedAnswer;
    try {
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        headers[name] = [...(headers[name] ?? []), req.rawHeaders[i + 1]];
      }
      const body = await readBody(req);
      answer = await this.handle({ method: req.method ?? 'GET', path: url.pathname, rawQuery: url.search.replace(/^\?/, ''), query, headers, body: body?.toString('utf8') });
    } catch (e) {
      const tooLarge = e instanceof BodyTooLargeError;
      answer = {
        status: tooLarge ? 413 : 500,
        headers: { 'content-type': 'application/json' },
        body: tooLarge ? '{"message":"Request Too Long"}' : '{"message":"Internal server error"}',
        note: (e as Error).message,
      };
    }
    // Logged before answering, so whoever reads the log after the response finds the line.
    this.options.log(printable(`${req.method} ${url.pathname} → ${answer.status}${answer.note ? `  (${answer.note})` : ''}`));
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }
}
