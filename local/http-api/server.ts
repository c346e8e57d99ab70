/**
 * Serves a {@link LocalHttpApi} over HTTP on 127.0.0.1, so a browser, curl or a test can call the
 * local HTTP API as it would call the deployed one. Port 0 picks a free port.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalHttpApi } from './gateway';

/** Largest request body read, as a bound on what one local request can make us buffer. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServedHttpApi {
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveHttpApi(api: LocalHttpApi, port = 0): Promise<ServedHttpApi> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        // Node keeps repeated headers apart in rawHeaders; the gateway joins them as API Gateway does.
        const headers: Record<string, string[]> = {};
        for (let i = 0; i < req.rawHeaders.length; i += 2) (headers[req.rawHeaders[i]] ??= []).push(req.rawHeaders[i + 1]);
        const response = await api.handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body: body.length > 0 ? body : undefined });
        res.writeHead(response.status, response.headers).end(response.body);
      } catch {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
