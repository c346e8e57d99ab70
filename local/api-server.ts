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
  /** One `set-cookie` header each (HTTP API payload 2.0 `cookies`). */
  readonly cookies?: string[];
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
    // respond() answers every failure itself; the catch is for a bug in it, never an unhandled rejection.
    const server = await listenOnLoopback(options.port, (req, res) => void api?.respond(req, res).catch((e: unknown) => {
      options.log(printable(`${req.method} ${req.url} → failed: ${e instanceof Error ? e.message : String(e)}`));
      res.destroy();
    }), (req) => {
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
    const target = requestTarget(req.url ?? '/');
    let answer: ServedAnswer;
    try {
      const query: Record<string, string[]> = {};
      for (const [k, v] of new URLSearchParams(target.query)) query[k] = [...(query[k] ?? []), v];
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        headers[name] = [...(headers[name] ?? []), req.rawHeaders[i + 1]];
      }
      const body = await readBody(req);
      answer = await this.handle({ method: req.method ?? 'GET', path: target.path, rawQuery: target.query, query, headers, body: body?.toString('utf8') });
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
    this.options.log(printable(`${req.method} ${target.path} → ${answer.status}${answer.note ? `  (${answer.note})` : ''}`));
    try {
      const headers = answer.cookies && answer.cookies.length > 0 ? { ...answer.headers, 'set-cookie': answer.cookies } : answer.headers;
      res.writeHead(answer.status, headers).end(answer.body);
    } catch (e) {
      // An answer Node.js refuses to write (a header an upstream endpoint or a mock sent): a 502 of our
      // own rather than a crash; the gateways check what backends answer before it gets here.
      this.options.log(printable(`${req.method} ${target.path} → 502  (could not send the answer: ${(e as Error).message})`));
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"message": "Internal server error"}');
      else res.destroy();
    }
  }
}

/**
 * The path and query of a request target, read as a path: `//pub/x` is the path `//pub/x`, never
 * a protocol-relative URL of host `pub` (what `new URL(target, base)` would make of it). An
 * absolute-form target (`http://host/path`) gives its path.
 */
export function requestTarget(target: string): { path: string; query: string } {
  let text = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      const absolute = new URL(target);
      text = `${absolute.pathname}${absolute.search}`;
    } catch {
      // Not a URL after all: read it as a path.
    }
  }
  const at = text.indexOf('?');
  return at < 0 ? { path: text, query: '' } : { path: text.slice(0, at), query: text.slice(at + 1) };
}
