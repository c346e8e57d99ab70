/**
 * `cdk-auth0-protected-api local` (the bundled command, assets/local/cli.js) serving APIs protected
 * the two further ways: a REST API and an HTTP API handed over to the constructs (`restApi`,
 * `httpApi`), and a REST API and an HTTP API whose methods use the standalone authorizers. Over real
 * HTTP with tokens from the command's own issuer: public 200, no token 401, scope 403, scope 200.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Auth0HttpAuthorizer, Auth0ProtectedApi, Auth0ProtectedHttpApi, Auth0RestAuthorizer } from '../../src';

const AUDIENCE = 'https://api.acme.com';
const TOKEN_PROPS = { domain: 'acme.eu.auth0.com', audience: AUDIENCE };
const CLI = join(__dirname, '..', '..', 'assets', 'local', 'cli.js');

const BACKEND = `
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ route: event.routeKey ?? (event.httpMethod + ' ' + event.resource) }),
});
`;

/** One stack per way, each with GET /health (public), GET /orders (any token), POST /orders (write:orders). */
function buildApp(dir: string): void {
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const backendIn = (stack: Stack) => new LambdaFunction(stack, 'Backend', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(join(dir, 'backend')) });

  const restHandover = new Stack(app, 'RestHandover');
  const restApi = new RestApi(restHandover, 'Existing', { defaultIntegration: new LambdaIntegration(backendIn(restHandover)) });
  restApi.root.addResource('health').addMethod('GET');
  const orders = restApi.root.addResource('orders');
  orders.addMethod('GET');
  const post = orders.addMethod('POST');
  new Auth0ProtectedApi(restHandover, 'Auth', { ...TOKEN_PROPS, restApi, publicRoutes: ['GET /health'] }).requireScopes(post, ['write:orders']);

  const restStandalone = new Stack(app, 'RestStandalone');
  const restAuth = new Auth0RestAuthorizer(restStandalone, 'Auth', TOKEN_PROPS);
  const restApi2 = new RestApi(restStandalone, 'Api', { defaultIntegration: new LambdaIntegration(backendIn(restStandalone)) });
  restApi2.root.addResource('health').addMethod('GET');
  const orders2 = restApi2.root.addResource('orders');
  orders2.addMethod('GET', undefined, { authorizer: restAuth });
  orders2.addMethod('POST', undefined, { authorizer: restAuth.withScopes('write:orders') });

  const httpHandover = new Stack(app, 'HttpHandover');
  const httpApi = new HttpApi(httpHandover, 'Existing');
  const integration = new HttpLambdaIntegration('Backend', backendIn(httpHandover));
  httpApi.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration });
  httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration });
  const [postRoute] = httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration });
  new Auth0ProtectedHttpApi(httpHandover, 'Auth', { ...TOKEN_PROPS, httpApi, publicRoutes: ['GET /health'] }).requireScopes(postRoute, ['write:orders']);

  const httpStandalone = new Stack(app, 'HttpStandalone');
  const httpAuth = new Auth0HttpAuthorizer(httpStandalone, 'Auth', TOKEN_PROPS);
  const httpApi2 = new HttpApi(httpStandalone, 'Api');
  const integration2 = new HttpLambdaIntegration('Backend', backendIn(httpStandalone));
  httpApi2.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: integration2 });
  httpApi2.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: integration2, authorizer: httpAuth });
  httpApi2.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration: integration2, authorizer: httpAuth.withScopes('write:orders') });
  app.synth();
}

describe('cdk-auth0-protected-api local, handed-over APIs and standalone authorizers', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let exited: Promise<number | null>;
  let tokenEndpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'existing-apis-command-'));
    mkdirSync(join(dir, 'backend'));
    writeFileSync(join(dir, 'backend', 'index.js'), BACKEND);
    buildApp(dir);
    child = spawn(process.execPath, [CLI, 'local', '--cdk-out', join(dir, 'cdk.out'), '--port', '0', '--issuer-port', '0'], { cwd: dir });
    child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c; });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    while (!/Ready in [\d.]+ s/.test(output)) {
      if (child.exitCode !== null) throw new Error(`the command exited (${child.exitCode}) before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the command was not ready within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    tokenEndpoint = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/token)/.exec(output)![1];
  }, 150_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function token(scope: string): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: 'local-secret', audience: AUDIENCE, scope });
    const response = await fetch(tokenEndpoint, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const baseOf = (kind: string, stack: string) => {
    const match = new RegExp(`${kind} ${stack}/\\S+\\s+(http://127\\.0\\.0\\.1:\\d+(?:/prod)?)`).exec(output);
    if (!match) throw new Error(`${kind} of ${stack} is not in the banner:\n${output}`);
    return match[1];
  };

  test.each([
    ['REST API', 'RestHandover', 'GET /orders'],
    ['REST API', 'RestStandalone', 'GET /orders'],
    ['HTTP API', 'HttpHandover', 'GET /orders'],
    ['HTTP API', 'HttpStandalone', 'GET /orders'],
  ])('%s of %s: public 200, no token 401, missing scope 403, scope 200', async (kind, stack, route) => {
    const base = baseOf(kind, stack);
    const status = async (method: string, path: string, bearer?: string) =>
      (await fetch(`${base}${path}`, { method, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} })).status;
    const plain = await token('read:other');
    const writer = await token('write:orders');
    expect({
      health: await status('GET', '/health'),
      noToken: await status('GET', '/orders'),
      invalid: await status('GET', '/orders', 'a.b.c'),
      anyToken: await status('GET', '/orders', plain),
      postWithoutScope: await status('POST', '/orders', plain),
      postWithScope: await status('POST', '/orders', writer),
    }).toEqual({ health: 200, noToken: 401, invalid: 401, anyToken: 200, postWithoutScope: 403, postWithScope: 200 });
    expect(output).toContain(route);
  });

  test('Ctrl-C stops it and its processes', async () => {
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
