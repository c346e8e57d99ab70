/**
 * A stand-in for the issuer's JWKS endpoint on 127.0.0.1: tests change what it serves (keys,
 * status, delay, raw body, headers) between requests and count how often the authorizer asks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';
import type { Jwks } from './tokens';

export const JWKS_PATH = '/.well-known/jwks.json';

export class JwksServer {
  /** Starts a server on a loopback port: a random one, or `port` (e.g. to bring a closed issuer back). */
  public static async start(jwks: Jwks = { keys: [] }, port = 0): Promise<JwksServer> {
    const server = new JwksServer(jwks);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(port, '127.0.0.1', () => resolve());
    });
    return server;
  }

  /** What is served; replace or mutate at any time. */
  public jwks: Jwks;
  /** HTTP status to answer with (200 by default). */
  public status = 200;
  /** Milliseconds to wait before answering. */
  public delayMs = 0;
  /** Served instead of the JSON of `jwks` when set. */
  public body: string | Buffer | undefined;
  /**
   * Send the body in 64 KiB chunks without `content-length` (chunked transfer encoding), so the
   * client cannot tell its size up front and must stop reading by itself.
   */
  public chunked = false;
  /** Extra response headers, e.g. `{ location: ... }` for a redirect. */
  public headers: Record<string, string> = {};
  /** Requests received, on any path. */
  public requestCount = 0;
  /** Paths requested, in order. */
  public readonly requests: string[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(jwks: Jwks) {
    this.jwks = jwks;
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>/`: the issuer, with its trailing slash as Auth0 writes it. */
  public get issuer(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** The JWKS URI. */
  public get jwksUri(): string {
    return `http://127.0.0.1:${this.port}${JWKS_PATH}`;
  }

  /** Back to serving `jwks` promptly with 200, and the count reset. */
  public reset(jwks: Jwks = this.jwks): void {
    this.jwks = jwks;
    this.status = 200;
    this.delayMs = 0;
    this.body = undefined;
    this.chunked = false;
    this.headers = {};
    this.requestCount = 0;
    this.requests.length = 0;
  }

  public async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requestCount += 1;
    this.requests.push(req.url ?? '');
    const send = () => {
      if (req.url !== JWKS_PATH && this.body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const body = this.body ?? JSON.stringify(this.jwks);
      res.writeHead(this.status, { 'content-type': 'application/json', ...this.headers });
      if (this.chunked) {
        const bytes = Buffer.from(body);
        for (let offset = 0; offset < bytes.length && !res.destroyed; offset += 64 * 1024) res.write(bytes.subarray(offset, offset + 64 * 1024));
        res.end();
      } else {
        res.end(body);
      }
    };
    if (this.delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) send();
      }, this.delayMs);
      this.timers.add(timer);
    } else {
      send();
    }
  }
}
