/**
 * The command as a user runs it: a fresh CDK app in a temporary folder with the PACKED tarball
 * installed and a PATH holding node alone (no CDK CLI, esbuild or Docker), synthesized and served by
 * `cdk-auth0-protected-api local`, checked over real HTTP, then stopped with Ctrl-C (SIGINT) and by
 * its idle timeout, leaving no process and no open port behind.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, request, type IncomingMessage, type Server } from 'http';
import { connect, type AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { installPacked, nodeOnlyPath, packLibrary } from '../support/packed-package';

const ORIGIN = 'http://127.0.0.1:5173';
const AUDIENCE = 'https://api.acme.com';
const ROLES = 'https://acme.com/roles';

/** The user's app: a NodejsFunction-style bundled ESM backend, an inline CommonJS one, and the routes the issue names. */
const APP = `
const { App, Stack, Duration } = require('aws-cdk-lib');
const { Function, Runtime, Code } = require('aws-cdk-lib/aws-lambda');
const { LambdaIntegration, HttpIntegration } = require('aws-cdk-lib/aws-apigateway');
const { Auth0ProtectedApi } = require('cdk-auth0-protected-api');

const app = new App();
const stack = new Stack(app, 'Shop');
// What NodejsFunction leaves in cdk.out: one bundled index.mjs in an asset folder.
const backend = new Function(stack, 'Backend', {
  runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset('dist/backend'),
  environment: { GREETING: 'hello from the bundle' }, timeout: Duration.seconds(5),
});
const inline = new Function(stack, 'Inline', {
  runtime: Runtime.NODEJS_22_X, handler: 'index.handler',
  code: Code.fromInline("exports.handler = async (event) => ({ statusCode: 201, headers: { 'access-control-allow-origin': '${ORIGIN}' }, body: JSON.stringify({ inline: true, sub: event.requestContext.authorizer.sub }) });"),
});
const api = new Auth0ProtectedApi(stack, 'Api', {
  domain: 'acme.eu.auth0.com', audience: '${AUDIENCE}',
  publicRoutes: ['GET /health', 'GET /upstream/{proxy+}', 'GET /legacy'],
  cors: { allowOrigins: ['${ORIGIN}'], allowHeaders: ['Authorization', 'Content-Type'] },
  contextClaims: { roles: '${ROLES}' },
});
api.addRoute('GET /health', new LambdaIntegration(backend));
api.addRoute('GET /reports', new LambdaIntegration(backend), { scopes: ['read:reports'] });
api.addRoute('POST /reports', new LambdaIntegration(inline), { scopes: ['write:reports'] });
api.addRoute('ANY /files/{proxy+}', new LambdaIntegration(backend), { scopes: ['read:files'] });
api.addRoute('GET /upstream/{proxy+}', new HttpIntegration(process.env.UPSTREAM_URL + '/{proxy}', {
  proxy: true, options: { requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } },
}), { methodOptions: { requestParameters: { 'method.request.path.proxy': true } } });
api.addRoute('GET /legacy', new HttpIntegration(process.env.UPSTREAM_URL + '/legacy', { proxy: false }));
app.synth();
`;

const BACKEND = `
export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'access-control-allow-origin': '${ORIGIN}' },
  body: JSON.stringify({
    resource: event.resource, path: event.path, pathParameters: event.pathParameters,
    authorizer: event.requestContext.authorizer ?? null, greeting: process.env.GREETING, functionName: context.functionName,
  }),
});
`;

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts the command; resolves once it prints "Ready". */
async function startCommand(app: string, path: string, env: Record<string, string>, args: string[]): Promise<Running> {
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'cdk-auth0-protected-api', 'package.json'), 'utf8'));
  const bin = join(app, 'node_modules', 'cdk-auth0-protected-api', pkg.bin['cdk-auth0-protected-api']);
  const child = spawn(join(path, 'node'), [bin, 'local', ...args], { cwd: app, env: { PATH: path, HOME: app, ...env } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/Ready in [\d.]+ s/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the command exited (${child.exitCode}) before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the command was not ready within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, exited };
}

/** Every process descending from `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while reading.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('cdk-auth0-protected-api local, from the packed tarball', () => {
  let work: string;
  let app: string;
  let path: string;
  let upstream: Server;
  const upstreamRequests: IncomingMessage[] = [];
  let running: Running;
  let base: string;
  let tokenEndpoint: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'packed-command-'));
    const packed = packLibrary(work);
    app = join(work, 'app');
    installPacked(packed.tarball, app);
    mkdirSync(join(app, 'dist', 'backend'), { recursive: true });
    writeFileSync(join(app, 'dist', 'backend', 'index.mjs'), BACKEND);
    writeFileSync(join(app, 'app.js'), APP);
    writeFileSync(join(app, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    path = nodeOnlyPath(work);
    upstream = createServer((req, res) => {
      upstreamRequests.push(req);
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' }).end(`upstream saw ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    running = await startCommand(app, path, { UPSTREAM_URL: upstreamUrl }, ['--port', '0', '--issuer-port', '0']);
    base = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(running.output())![1];
    tokenEndpoint = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/token)/.exec(running.output())![1];
  }, 240_000);

  afterAll(async () => {
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function token(scope: string, claims?: Record<string, unknown>): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: 'local-secret', audience: AUDIENCE, scope });
    if (claims) form.set('claims', JSON.stringify(claims));
    const response = await fetch(tokenEndpoint, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const call = (method: string, route: string, headers: Record<string, string> = {}) => fetch(`${base}${route}`, { method, headers: { origin: ORIGIN, ...headers } });

  test('prints each route with what it requires, how to get a token, curl lines, and that the issuer was replaced', () => {
    const out = running.output();
    expect(out).toMatch(/GET \/health\s+public/);
    expect(out).toMatch(/GET \/reports\s+token with read:reports/);
    expect(out).toMatch(/POST \/reports\s+token with write:reports/);
    expect(out).toMatch(/ANY \/files\/\{proxy\+\}\s+token with read:files/);
    expect(out).toMatch(/GET \/legacy\s+501, not run locally: HTTP: /);
    expect(out).toContain('issuer and jwksUri replaced');
    expect(out).toContain('https://acme.eu.auth0.com/');
    expect(out).toMatch(/TOKEN=\$\(curl -s http:\/\/127\.0\.0\.1:\d+\/oauth\/token .*audience=https:\/\/api\.acme\.com/);
    expect(out).toContain(`curl -i ${base}/health`);
  });

  test('public route: 200 from the bundled ESM backend, with CORS', async () => {
    const response = await call('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = await response.json() as Record<string, unknown>;
    expect(body).toMatchObject({ resource: '/health', greeting: 'hello from the bundle', functionName: expect.stringMatching(/^Backend/), authorizer: null });
  });

  test('no token: 401 with CORS and WWW-Authenticate', async () => {
    const response = await call('GET', '/reports');
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  test('the right scope: 200, and the backend receives sub and the mapped claim', async () => {
    const response = await call('GET', '/reports', { authorization: `Bearer ${await token('read:reports', { [ROLES]: ['auditor'] })}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = await response.json() as { authorizer: Record<string, string> };
    expect(body.authorizer).toMatchObject({ principalId: 'local-m2m@clients', sub: 'local-m2m@clients', scope: 'read:reports', roles: '["auditor"]' });
  });

  test('without the scope: 403 with CORS', async () => {
    const response = await call('GET', '/reports', { authorization: `Bearer ${await token('write:reports')}` });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
  });

  test('the other scope opens the other route, served by inline CommonJS code', async () => {
    const response = await call('POST', '/reports', { authorization: `Bearer ${await token('write:reports')}` });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ inline: true, sub: 'local-m2m@clients' });
  });

  test('{proxy+}: any method and depth reaches the backend with the greedy path parameter', async () => {
    const authorization = `Bearer ${await token('read:files')}`;
    const response = await call('DELETE', '/files/a/b/c.txt', { authorization });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await response.json()).toMatchObject({ resource: '/files/{proxy+}', pathParameters: { proxy: 'a/b/c.txt' } });
    expect((await call('GET', '/files/x', { authorization: `Bearer ${await token('read:reports')}` })).status).toBe(403);
  });

  test('CORS preflight is answered without the authorizer, even with a bad token', async () => {
    const response = await call('OPTIONS', '/reports', { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization', 'authorization': 'Bearer not-a-token' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const preflight = await call('OPTIONS', '/files/a/b', { 'access-control-request-method': 'PUT' });
    expect(preflight.status).toBe(204);
    expect(running.output()).toMatch(/OPTIONS \/prod\/reports → 204 {2}\(OPTIONS \/reports, authorizer: not-required\)/);
    expect(running.output()).toMatch(/OPTIONS \/prod\/files\/a\/b → 204 {2}\(OPTIONS \/files\/\{proxy\+\}, authorizer: not-required\)/);
  });

  test('an HTTP proxy integration is forwarded to its URL with the path parameter', async () => {
    const response = await call('GET', '/upstream/deep/path?x=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.text()).toBe('upstream saw GET /deep/path?x=1');
  });

  test('an integration it cannot run answers 501 naming it and why, without calling it', async () => {
    const before = upstreamRequests.length;
    const response = await call('GET', '/legacy');
    expect(response.status).toBe(501);
    expect(await response.json()).toEqual({ message: expect.stringMatching(/^HTTP integration of GET \/legacy is not run locally: .*mapping templates/) });
    expect(upstreamRequests.length).toBe(before);
  });

  test('a request under a rebound host name (DNS rebinding) gets 421 from the API and the issuer, and is logged escaped', async () => {
    const status = (url: string, method: string) => new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const req = request({ hostname: '127.0.0.1', port: target.port, path: target.pathname, method, headers: { host: `rebind.attacker.example:${target.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(method === 'POST' ? 'grant_type=client_credentials&client_id=x&client_secret=local-secret' : undefined);
    });
    expect(await status(`${base}/health`, 'GET')).toBe(421);
    expect(await status(tokenEndpoint, 'POST')).toBe(421);
    expect(running.output()).toMatch(/GET \/prod\/health → 421 {2}\(refused: Host rebind\.attacker\.example:\d+ is not this server's loopback address\)/);
  });

  test('Ctrl-C stops it and everything it started: exit 0, ports closed, no process left', async () => {
    const ports = [...running.output().matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    const children = descendants(running.child.pid!);
    // The authorizer and the two backends that served requests.
    expect(children.length).toBeGreaterThanOrEqual(3);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('Stopping (Ctrl-C).');
    for (const port of new Set(ports)) expect(await portRefuses(port)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(alive)).toEqual([]);
  });

  test('the idle timeout stops it by itself', async () => {
    const idle = await startCommand(app, path, { UPSTREAM_URL: 'http://127.0.0.1:9' }, ['--port', '0', '--issuer-port', '0', '--idle-minutes', '0.02']);
    const children = descendants(idle.child.pid!);
    expect(await idle.exited).toBe(0);
    expect(idle.output()).toContain('Stopping (no request for 0.02 minutes).');
    expect(children.filter(alive)).toEqual([]);
  }, 120_000);
});
