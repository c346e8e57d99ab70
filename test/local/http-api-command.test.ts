/**
 * `cdk-auth0-protected-api local` serving an HTTP API: the bundled command (assets/local/cli.js,
 * what the package ships) over a synthesized cdk.out holding an Auth0ProtectedHttpApi with a Lambda
 * backend from a code asset, checked over real HTTP with tokens from the command's own issuer:
 * 200 public, 401 and 403 with API Gateway's HTTP API bodies, 200/403 by scope, CORS on all of them,
 * preflight without the authorizer, and the backend's `requestContext.authorizer.lambda`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Auth0ProtectedHttpApi } from '../../src';

const ORIGIN = 'http://127.0.0.1:5173';
const AUDIENCE = 'https://api.acme.com';
const CLI = join(__dirname, '..', '..', 'assets', 'local', 'cli.js');

const BACKEND = `
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ routeKey: event.routeKey, authorizer: event.requestContext.authorizer ?? null, greeting: process.env.GREETING }),
});
`;

describe('cdk-auth0-protected-api local, an HTTP API', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let exited: Promise<number | null>;
  let base: string;
  let tokenEndpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'http-api-command-'));
    mkdirSync(join(dir, 'backend'));
    writeFileSync(join(dir, 'backend', 'index.js'), BACKEND);
    const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Shop');
    const backend = new LambdaFunction(stack, 'Backend', {
      runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(join(dir, 'backend')), environment: { GREETING: 'hello' },
    });
    const api = new Auth0ProtectedHttpApi(stack, 'Api', {
      domain: 'acme.eu.auth0.com',
      audience: AUDIENCE,
      publicRoutes: ['GET /health'],
      cors: { allowOrigins: [ORIGIN], allowHeaders: ['authorization'] },
      contextClaims: { roles: 'https://acme.com/roles' },
    });
    const integration = new HttpLambdaIntegration('Backend', backend);
    api.addRoute('GET /health', integration);
    api.addRoute('GET /reports', integration, { scopes: ['read:reports'] });
    api.addRoute('ANY /files/{proxy+}', integration, { scopes: ['read:files'] });
    app.synth();

    child = spawn(process.execPath, [CLI, 'local', '--cdk-out', join(dir, 'cdk.out'), '--port', '0', '--issuer-port', '0'], { cwd: dir });
    child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c; });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/Ready in [\d.]+ s/.test(output)) {
      if (child.exitCode !== null) throw new Error(`the command exited (${child.exitCode}) before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the command was not ready within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    base = /HTTP API \S+\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
    tokenEndpoint = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/token)/.exec(output)![1];
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function token(scope: string, claims?: Record<string, unknown>): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: 'local-secret', audience: AUDIENCE, scope });
    if (claims) form.set('claims', JSON.stringify(claims));
    const response = await fetch(tokenEndpoint, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { method, headers: { origin: ORIGIN, ...headers } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) as Record<string, unknown> };
  };

  test('lists the HTTP API and its routes with what each requires', () => {
    expect(output).toMatch(/HTTP API Shop\/\S+\s+http:\/\/127\.0\.0\.1:\d+\n/);
    expect(output).toMatch(/GET \/health\s+public/);
    expect(output).toMatch(/GET \/reports\s+token with read:reports/);
    expect(output).toMatch(/ANY \/files\/\{proxy\+\}\s+token with read:files/);
    // The construct's preflight route is not something a caller calls.
    expect(output).not.toMatch(/OPTIONS \/files/);
  });

  test('public route: 200 from the backend, with CORS', async () => {
    const r = await call('GET', '/health');
    expect({ status: r.status, body: r.body, origin: r.headers.get('access-control-allow-origin') })
      .toEqual({ status: 200, body: { routeKey: 'GET /health', authorizer: null, greeting: 'hello' }, origin: ORIGIN });
  });

  test('no token: 401 {"message":"Unauthorized"} that a browser can read', async () => {
    const r = await call('GET', '/reports');
    expect({ status: r.status, body: r.body, origin: r.headers.get('access-control-allow-origin') })
      .toEqual({ status: 401, body: { message: 'Unauthorized' }, origin: ORIGIN });
  });

  test('an invalid token: 401', async () => {
    const r = await call('GET', '/reports', { authorization: 'Bearer a.b.c' });
    expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });

  test('a token without the scope: 403 {"message":"Forbidden"} with CORS; with it: 200 and the claims', async () => {
    const denied = await call('GET', '/reports', { authorization: `Bearer ${await token('read:files')}` });
    expect({ status: denied.status, body: denied.body, origin: denied.headers.get('access-control-allow-origin') })
      .toEqual({ status: 403, body: { message: 'Forbidden' }, origin: ORIGIN });
    const allowed = await call('GET', '/reports', { authorization: `Bearer ${await token('read:reports', { 'https://acme.com/roles': ['admin'] })}` });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({
      routeKey: 'GET /reports',
      authorizer: { lambda: { sub: expect.stringMatching(/.+/), scope: 'read:reports', roles: '["admin"]' } },
    });
  });

  test('an ANY route: every method by scope, and its preflight never reaches the authorizer', async () => {
    const files = `Bearer ${await token('read:files')}`;
    expect((await call('PUT', '/files/a/b.txt', { authorization: files })).status).toBe(200);
    expect((await call('PUT', '/files/a/b.txt', { authorization: `Bearer ${await token('read:reports')}` })).status).toBe(403);
    const preflight = await call('OPTIONS', '/files/a/b.txt', { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' });
    expect({ status: preflight.status, origin: preflight.headers.get('access-control-allow-origin'), headers: preflight.headers.get('access-control-allow-headers') })
      .toEqual({ status: 204, origin: ORIGIN, headers: 'authorization' });
    expect(output).toMatch(/OPTIONS \/files\/a\/b\.txt → 204 {2}\(OPTIONS \/files\/\{proxy\+\}\)\n/);
  });

  test('the request log says whether the authorizer decided or its cached decision did', async () => {
    const authorization = `Bearer ${await token('read:reports')}`;
    expect((await call('GET', '/reports', { authorization })).status).toBe(200);
    expect((await call('GET', '/reports', { authorization })).status).toBe(200);
    expect(output).toMatch(/GET \/reports → 200 {2}\(GET \/reports, authorizer: invoked\)\n(?:.*\n)*?.*GET \/reports → 200 {2}\(GET \/reports, authorizer: cached\)\n/);
  });

  test('Ctrl-C stops it and its processes', async () => {
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopping (Ctrl-C).');
  });
});
