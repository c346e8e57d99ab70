/**
 * `npm run dev`: the example API on 127.0.0.1, following its synthesized template, behind the
 * shipped authorizer asset, with a real OpenID provider (oidc-provider) as the local Auth0 tenant.
 * A development aid: deployment stays `cdk deploy`.
 *
 * Environment: DEV_API_PORT (default 3000), DEV_ISSUER_PORT (default 3001), DEV_IDLE_MINUTES
 * (default 10): the server stops by itself after that long without a request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { GatewaySimulator } from './gateway';
import { LocalIssuer } from './local-issuer';
import { EXAMPLE_AUDIENCE, EXAMPLE_SCOPES, synthesizeExample } from './synth-example';

const MAX_BODY_BYTES = 1024 * 1024;

function portFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name}: ${process.env[name]} is not a port number`);
  return value;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const idleMinutes = Number(process.env.DEV_IDLE_MINUTES ?? 10);
  if (!(idleMinutes > 0)) throw new Error(`DEV_IDLE_MINUTES: ${process.env.DEV_IDLE_MINUTES} is not a positive number`);

  const issuer = await LocalIssuer.start({
    audience: EXAMPLE_AUDIENCE,
    scopes: EXAMPLE_SCOPES,
    port: portFrom('DEV_ISSUER_PORT', 3001),
    onLog: (line) => console.error(`[issuer] ${line}`),
  });
  let gateway: GatewaySimulator | undefined;
  let stopping = false;
  const server = createServer();
  let idleTimer: NodeJS.Timeout | undefined;

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    clearTimeout(idleTimer);
    console.log(`\nStopping (${why}).`);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway?.stop();
    await issuer.stop();
    process.exit(0);
  };
  const resetIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stop(`no request for ${idleMinutes} minutes`), idleMinutes * 60_000);
    idleTimer.unref();
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    const outdir = join(__dirname, 'cdk.out');
    const example = synthesizeExample(issuer.issuer, EXAMPLE_AUDIENCE, outdir);
    gateway = await GatewaySimulator.start(example.api);
    const stage = example.api.stageName;

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      resetIdle();
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const prefix = `/${stage}`;
        let status = 403;
        let note = '';
        try {
          if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
            res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
          } else {
            const query: Record<string, string[]> = {};
            for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
            const headers: Record<string, string[]> = {};
            for (let i = 0; i < req.rawHeaders.length; i += 2) {
              const name = req.rawHeaders[i];
              headers[name] = [...(headers[name] ?? []), req.rawHeaders[i + 1]];
            }
            const response = await gateway!.handle({
              method: req.method ?? 'GET',
              path: url.pathname.slice(prefix.length) || '/',
              headers,
              query,
              body: await readBody(req),
            });
            status = response.status;
            const refusal = response.authorizerLogs?.find((l) => 'reason' in l)?.reason;
            note = [response.route, response.authorizer && `authorizer: ${response.authorizer}`, refusal && `reason: ${refusal}`, response.errorType]
              .filter(Boolean).join(', ');
            res.writeHead(response.status, response.headers).end(response.body);
          }
        } catch (e) {
          status = 500;
          note = (e as Error).message;
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"message":"Internal server error"}');
        }
        console.log(`${new Date().toISOString().slice(11, 19)} ${req.method} ${url.pathname} → ${status}${note ? `  (${note})` : ''}`);
      })();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(portFrom('DEV_API_PORT', 3000), '127.0.0.1', () => resolve());
    });
    resetIdle();

    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${stage}`;
    const authorizer = [...example.api.authorizers.values()][0];
    const getToken = (scope: string) => `${issuer.curlForToken(scope)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/'`;
    console.log([
      '',
      `Local OpenID provider (oidc-provider): ${issuer.issuer}  (keys: ${issuer.jwksUri})`,
      `Example API, from ${join(example.assemblyDir, `${example.stack.templateFile}`)}:`,
      `  ${base}`,
      `  authorizer: ${authorizer.type}, identity source ${authorizer.identitySource.join(',')}, cache ${authorizer.resultTtlSeconds} s`,
      ...example.api.methods.filter((m) => m.httpMethod !== 'OPTIONS')
        .map((m) => `  ${`${m.httpMethod} ${m.resourcePath}`.padEnd(24)} ${m.authorizationType === 'NONE' ? 'public' : 'Bearer token'}`),
      '',
      `Get a token (client credentials; scopes: ${EXAMPLE_SCOPES.join(', ')}):`,
      `  TOKEN=$(${getToken('read:colors')})`,
      '',
      'Then:',
      `  curl -i ${base}/health                                                 # 200, public`,
      `  curl -i ${base}/colors                                                 # 401, no token`,
      `  curl -i -H "Authorization: Bearer $TOKEN" ${base}/colors                # 200`,
      `  curl -i -H "Authorization: Bearer $TOKEN" -X DELETE ${base}/colors/red  # 403, needs delete:colors`,
      '',
      `Ctrl-C stops it; so do ${idleMinutes} idle minutes (DEV_IDLE_MINUTES).`,
      '',
    ].join('\n'));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    await stop('start-up failed');
  }
}

void main();
