/**
 * The bundled command survives its backends as API Gateway does (issue 19 item 4): a proxy answer
 * API Gateway could not use becomes its own 5XX, a backend that times out or exits is replaced by a
 * fresh process on the next request (the timed-out one killed), a stalled client is dropped, and
 * `//` before the path is a path, not a host. A REST API and an HTTP API, each with one backend
 * whose behaviour the path chooses, served from one cdk.out over real HTTP and raw sockets.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Auth0ProtectedApi, Auth0ProtectedHttpApi } from '../../src';
import { alive, descendants, startLocalCommand, type RunningCommand } from '../support/local-command';

/** One backend; `/mode/{mode}` chooses what it answers. Timeout 1 s, so `spin` times out quickly. */
const BACKEND = `
exports.handler = async (event) => {
  const mode = (event.pathParameters || {}).mode;
  const answers = {
    'ok': { statusCode: 200, body: JSON.stringify({ pid: process.pid }) },
    'status-99': { statusCode: 99, body: 'x' },
    'status-1000': { statusCode: 1000, body: 'x' },
    'status-fraction': { statusCode: 200.5, body: 'x' },
    'status-text': { statusCode: 'abc', body: 'x' },
    'status-digits': { statusCode: '201', body: 'created' },
    'body-object': { statusCode: 200, body: { not: 'a string' } },
    'header-crlf': { statusCode: 200, headers: { 'x-injected': 'a\\r\\nset-cookie: evil=1' }, body: 'x' },
    'header-name-lf': { statusCode: 200, headers: { 'x-bad\\nname': 'a' }, body: 'x' },
    'header-object': { statusCode: 200, headers: { 'x-object': { a: 1 } }, body: 'x' },
    'multi-not-list': { statusCode: 200, multiValueHeaders: { 'x-multi': 'one' }, body: 'x' },
    'multi-merged': { statusCode: 200, multiValueHeaders: { 'x-multi': ['one', 'two'] }, headers: { 'x-multi': 'three', 'x-flag': true }, body: 'x' },
    'unknown-key': { statusCode: 200, body: 'x', extra: 1 },
    'cookies': { statusCode: 200, cookies: ['a=1', 'b=2'], body: 'x' },
    'cookies-not-list': { statusCode: 200, cookies: 'a=1', body: 'x' },
  };
  if (mode === 'spin') for (;;) {}
  if (mode === 'exit') process.exit(3);
  if (mode === 'sleep') await new Promise((r) => setTimeout(r, 800));
  return answers[mode] ?? answers.ok;
};
`;

const AUDIENCE = 'https://api.acme.com';

function synthesize(dir: string): string {
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const backend = (stack: Stack) => new LambdaFunction(stack, 'Flaky', {
    runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline(BACKEND), timeout: Duration.seconds(1),
  });
  const rest = new Stack(app, 'Rest');
  const restApi = new Auth0ProtectedApi(rest, 'Api', { domain: 'acme.eu.auth0.com', audience: AUDIENCE, publicRoutes: ['GET /mode/{mode}', 'GET /slow/{mode}'] });
  const restBackend = backend(rest);
  restApi.addRoute('GET /mode/{mode}', new LambdaIntegration(restBackend));
  // An integration timeout shorter than the function's: API Gateway gives up first.
  restApi.addRoute('GET /slow/{mode}', new LambdaIntegration(restBackend, { timeout: Duration.millis(300) }));
  restApi.addRoute('GET /private', new LambdaIntegration(restBackend), { scopes: ['read:private'] });
  const http = new Stack(app, 'Http');
  const httpApi = new Auth0ProtectedHttpApi(http, 'Api', { domain: 'acme.eu.auth0.com', audience: AUDIENCE, publicRoutes: ['GET /mode/{mode}', 'GET /slow/{mode}'] });
  const httpBackend = backend(http);
  httpApi.addRoute('GET /mode/{mode}', new HttpLambdaIntegration('Flaky', httpBackend));
  httpApi.addRoute('GET /slow/{mode}', new HttpLambdaIntegration('Slow', httpBackend, { timeout: Duration.millis(300) }));
  httpApi.addRoute('GET /private', new HttpLambdaIntegration('Private', httpBackend), { scopes: ['read:private'] });
  app.synth();
  return join(dir, 'cdk.out');
}

/** A raw HTTP/1.1 exchange: sends `text`, resolves with what came back and how long until the server closed. */
function rawExchange(port: number, text: string, giveUpMs: number): Promise<{ received: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.setEncoding('utf8').on('data', (c: string) => { received += c; });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedAfterMs: undefined });
    }, giveUpMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
  });
}

describe('the local command survives its backends', () => {
  let dir: string;
  let command: RunningCommand;
  let rest: string;
  let http: string;
  let privateTmp: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backend-failures-'));
    const cdkOut = synthesize(dir);
    // A private TMPDIR, so the test can tell that the command leaves no folder behind.
    privateTmp = join(dir, 'tmp');
    mkdirSync(privateTmp);
    command = await startLocalCommand(['--cdk-out', cdkOut, '--port', '0', '--issuer-port', '0'], dir, { ...process.env, TMPDIR: privateTmp });
    rest = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(command.output())![1];
    http = /HTTP API \S+\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(command.output())![1];
  }, 120_000);

  afterAll(async () => {
    await command?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, body: await response.text(), headers: response.headers };
  };
  const pidOf = async (base: string) => {
    const answer = await get(`${base}/mode/ok`);
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.body) as { pid: number }).pid;
  };

  // REST: "Malformed Lambda proxy response" → 502 {"message": "Internal server error"}.
  test.each([
    'status-99', 'status-1000', 'status-fraction', 'status-text', 'body-object', 'header-crlf', 'header-name-lf', 'header-object',
    'multi-not-list', 'unknown-key',
  ])('REST: a proxy answer with %s gets 502 Internal server error, and the command keeps serving', async (mode) => {
    const answer = await get(`${rest}/mode/${mode}`);
    expect({ status: answer.status, body: JSON.parse(answer.body), injected: answer.headers.get('set-cookie') })
      .toEqual({ status: 502, body: { message: 'Internal server error' }, injected: null });
    expect(command.output()).toMatch(new RegExp(`GET /prod/mode/${mode} → 502 .*Malformed Lambda proxy response`));
    expect(await pidOf(rest)).toEqual(expect.any(Number));
  });

  test('REST: what API Gateway accepts is served as it would be: a status code in a string, multi-value headers merged, a boolean header', async () => {
    const created = await get(`${rest}/mode/status-digits`);
    expect({ status: created.status, body: created.body }).toEqual({ status: 201, body: 'created' });
    const merged = await get(`${rest}/mode/multi-merged`);
    expect({ status: merged.status, multi: merged.headers.get('x-multi'), flag: merged.headers.get('x-flag') })
      .toEqual({ status: 200, multi: 'one, two, three', flag: 'true' });
  });

  // HTTP API, payload 2.0: an answer it cannot use → 500 {"message":"Internal Server Error"}.
  test.each(['status-99', 'status-1000', 'status-fraction', 'status-text', 'body-object', 'header-crlf', 'header-name-lf', 'header-object', 'cookies-not-list'])(
    'HTTP API: a response with %s gets 500 Internal Server Error, and the command keeps serving', async (mode) => {
      const answer = await get(`${http}/mode/${mode}`);
      expect({ status: answer.status, body: answer.body, injected: answer.headers.get('set-cookie') })
        .toEqual({ status: 500, body: '{"message":"Internal Server Error"}', injected: null });
      expect(await pidOf(http)).toEqual(expect.any(Number));
    });

  test('HTTP API: cookies become one set-cookie header each', async () => {
    const answer = await get(`${http}/mode/cookies`);
    expect({ status: answer.status, cookies: answer.headers.getSetCookie() }).toEqual({ status: 200, cookies: ['a=1', 'b=2'] });
  });

  test.each([
    ['REST', () => rest, 502, '{"message": "Internal server error"}'],
    ['HTTP API', () => http, 500, '{"message":"Internal Server Error"}'],
  ])('%s: a backend that exceeds its Timeout is killed, answered as a function error, and replaced on the next request', async (_kind, base, status, body) => {
    const before = await pidOf(base());
    const answer = await get(`${base()}/mode/spin`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
    // Killed with SIGKILL when the timeout struck; give the kernel a moment to reap it.
    for (let i = 0; i < 20 && alive(before); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(before)).toBe(false);
    const after = await pidOf(base());
    expect(after).not.toBe(before);
  }, 20_000);

  test.each([
    ['REST', () => rest, 502, '{"message": "Internal server error"}'],
    ['HTTP API', () => http, 500, '{"message":"Internal Server Error"}'],
  ])('%s: a backend that exits is replaced on the next request', async (_kind, base, status, body) => {
    const before = await pidOf(base());
    const answer = await get(`${base()}/mode/exit`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
    expect(await pidOf(base())).not.toBe(before);
  });

  test.each([
    ['REST', () => rest, 504, '{"message": "Endpoint request timed out"}'],
    ['HTTP API', () => http, 503, '{"message":"Service Unavailable"}'],
  ])('%s: an integration timeout shorter than the function\'s gets API Gateway\'s timeout answer', async (_kind, base, status, body) => {
    const answer = await get(`${base()}/slow/sleep`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
    expect(await pidOf(base())).toEqual(expect.any(Number));
  });

  test('a client that stalls in its headers or its body is dropped (408), not held forever', async () => {
    const port = Number(new URL(rest).port);
    const [headers, body] = await Promise.all([
      rawExchange(port, `GET /prod/mode/ok HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Half: `, 25_000),
      rawExchange(port, `POST /prod/mode/ok HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 100\r\n\r\nonly a little`, 25_000),
    ]);
    expect(headers.closedAfterMs).toBeLessThan(15_000);
    expect(body.closedAfterMs).toBeLessThan(22_000);
    expect(headers.received).toMatch(/^HTTP\/1\.1 408/);
    expect(await pidOf(rest)).toEqual(expect.any(Number));
  }, 30_000);

  test('"//" before the stage or the path is part of the path, as API Gateway routes it, never a host name', async () => {
    const port = Number(new URL(rest).port);
    const viaRaw = async (target: string) => (await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, 10_000)).received;
    expect(await viaRaw('//prod/mode/ok')).toMatch(/^HTTP\/1\.1 200/);
    expect(await viaRaw('/prod//mode/ok')).toMatch(/^HTTP\/1\.1 200/);
    expect(await viaRaw('//mode/ok')).toMatch(/^HTTP\/1\.1 403/);
    const httpPort = Number(new URL(http).port);
    const httpRaw = (await rawExchange(httpPort, `GET //mode/ok HTTP/1.1\r\nHost: 127.0.0.1:${httpPort}\r\nConnection: close\r\n\r\n`, 10_000)).received;
    expect(httpRaw).toMatch(/^HTTP\/1\.1 200/);
  });

  test('a trailing slash on a protected literal route: the shipped authorizer\'s policy allows it with the scope, and only then', async () => {
    const tokenEndpoint = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/token)/.exec(command.output())![1];
    const token = async (scope: string) => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: 'local-secret', audience: AUDIENCE, scope });
      return ((await (await fetch(tokenEndpoint, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
    };
    const call = async (base: string, path: string, scope: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await token(scope)}` } })).status;
    expect(await call(rest, '/private/', 'read:private')).toBe(200);
    expect(await call(rest, '/private/', 'read:other')).toBe(403);
    expect(await call(http, '/private/', 'read:private')).toBe(200);
    expect(await call(http, '/private/', 'read:other')).toBe(403);
  });

  test('Ctrl-C after all that: exit 0, no process and no temporary folder left', async () => {
    const children = descendants(command.child.pid!);
    expect(readdirSync(privateTmp).length).toBeGreaterThan(0);
    expect(await command.stop()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(alive)).toEqual([]);
    expect(command.output()).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});

describe('a command killed outright', () => {
  test('SIGKILL while a backend spins: the spinning process ends by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backend-killed-'));
    try {
      const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
      const stack = new Stack(app, 'Rest');
      const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.eu.auth0.com', audience: AUDIENCE, publicRoutes: ['GET /mode/{mode}'] });
      const spinner = new LambdaFunction(stack, 'Spinner', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline(BACKEND), timeout: Duration.seconds(60) });
      api.addRoute('GET /mode/{mode}', new LambdaIntegration(spinner, { timeout: Duration.seconds(29) }));
      api.addRoute('GET /private', new LambdaIntegration(spinner), { scopes: ['read:private'] });
      app.synth();
      // SIGKILL leaves the command's temporary folders: keep them in this test's folder.
      const command = await startLocalCommand(['--cdk-out', join(dir, 'cdk.out'), '--port', '0', '--issuer-port', '0'], dir, { ...process.env, TMPDIR: dir });
      const base = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(command.output())![1];
      const pid = (JSON.parse(await (await fetch(`${base}/mode/ok`)).text()) as { pid: number }).pid;
      void fetch(`${base}/mode/spin`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      command.child.kill('SIGKILL');
      await command.exited;
      for (let i = 0; i < 60 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
