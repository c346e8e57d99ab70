/** Small pieces of HTTP plumbing shared by the local gateway and the stand-in issuer. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

/**
 * Whether `host` (a request's Host header) names this server on a loopback name: `127.0.0.1`,
 * `localhost` or `[::1]`, with the server's own port. Anything else is a request meant for another
 * server, or a web page whose own host name was made to resolve to 127.0.0.1 (DNS rebinding).
 */
export function isOwnLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => host.toLowerCase() === `${name}:${port}`);
}

/**
 * Starts an HTTP server on 127.0.0.1 (port 0: any free one) that hands `onRequest` only requests
 * whose Host is {@link isOwnLoopbackHost}; others get 421 Misdirected Request with a short reason,
 * and `onMisdirected` is told. Every server the command runs starts through this function.
 */
/**
 * How long a client may take to send its headers, and its whole request: a client that stalls
 * (half a request, then nothing) is answered 408 and dropped instead of holding a connection open.
 * A local request of at most {@link MAX_BODY_BYTES} needs far less. Node.js checks these every
 * `connectionsCheckingInterval`, so that is short too.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 15_000;

export async function listenOnLoopback(
  port: number,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  onMisdirected: (req: IncomingMessage) => void = () => undefined,
): Promise<Server> {
  const timeouts = { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 };
  const server = createServer(timeouts, (req, res) => {
    const own = (server.address() as AddressInfo).port;
    if (isOwnLoopbackHost(req.headers.host, own)) return onRequest(req, res);
    onMisdirected(req);
    req.resume();
    res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'connection': 'close' })
      .end(`Misdirected Request: this local development server answers only Host 127.0.0.1:${own}, localhost:${own} or [::1]:${own}.\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/**
 * `text` with every control, format or line-separator character escaped (`\n` as `\u000a`), tab
 * excepted: for lines printed from request data, which must not add lines or terminal escapes to
 * the developer's terminal.
 */
export function printable(text: string): string {
  return text.replace(/(?!\t)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** Bodies larger than this are refused (API Gateway's own payload limit is 10 MB; local use needs less). */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
}

/** The whole request body, or `undefined` when there is none. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}

/** A form or JSON body as flat string parameters (Auth0's token endpoint takes both). */
export function parseParameters(body: Buffer | undefined, contentType: string | undefined): Record<string, string> {
  if (!body) return {};
  const text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/json')) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the JSON body is not an object');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(html);
}

/** Escapes text for an HTML attribute or element. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The last value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[value.length - 1] : value;
}
