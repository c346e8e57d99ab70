/**
 * The example API (examples/typescript) synthesized for the local issuer and the app's origin, served
 * on 127.0.0.1 by the local API Gateway (the one `npm run dev` uses), over real HTTP so that the
 * browser does its own CORS checks.
 */
import { mkdtempSync, rmSync } from 'fs';
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { GatewaySimulator } from '../../examples/dev/gateway';
import { readTemplateApi } from '../../examples/dev/template-api';
import { ExampleStack } from '../../examples/typescript/example-stack';

export interface LocalExampleApiOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly allowOrigins: string[];
  /** 0: any free port. @default 0 */
  readonly port?: number;
  /** Called with one line per request: method, path, status. */
  readonly onRequest?: (line: string) => void;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

export class LocalExampleApi {
  public static async start(options: LocalExampleApiOptions): Promise<LocalExampleApi> {
    const outdir = mkdtempSync(join(tmpdir(), 'spa-example-'));
    // Asset metadata, as the CDK CLI writes it: it says which directory the authorizer deploys.
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new ExampleStack(app, 'Auth0ProtectedApiExample', { issuer: options.issuer, audience: options.audience, allowOrigins: options.allowOrigins });
    const assembly = app.synth();
    const api = readTemplateApi(assembly.getStackByName(stack.stackName).template, assembly.directory);
    const gateway = await GatewaySimulator.start(api);
    const prefix = `/${api.stageName}`;
    const server = createServer((req, res) => void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith(`${prefix}/`)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
        return;
      }
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]] = [...(headers[req.rawHeaders[i]] ?? []), req.rawHeaders[i + 1]];
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
      const response = await gateway.handle({ method: req.method ?? 'GET', path: url.pathname.slice(prefix.length), headers, query, body: await readBody(req) });
      res.writeHead(response.status, response.headers).end(response.body);
      options.onRequest?.(`${req.method} ${url.pathname} → ${response.status}${response.route ? `  (${response.route}, authorizer: ${response.authorizer})` : ''}`);
    })().catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return new LocalExampleApi(server, gateway, outdir, `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}/`);
  }

  private constructor(private readonly server: Server, private readonly gateway: GatewaySimulator, private readonly outdir: string,
    /** The stage's base URL, with the trailing slash, as the stack's ApiUrl output. */
    public readonly url: string) {}

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.gateway.stop();
    rmSync(this.outdir, { recursive: true, force: true });
  }
}
