/**
 * End to end over the two further example stacks (examples/typescript): the example API as a REST
 * API its owner built and handed over to Auth0ProtectedApi (existing-api-stack.ts), and as an HTTP
 * API whose routes use Auth0HttpAuthorizer alone (standalone-authorizer-stack.ts). A real OpenID
 * provider on 127.0.0.1 as the Auth0 tenant, the synthesized templates served by the local REST and
 * HTTP API emulations, the authorizer assets they deploy, the examples' own backends. Expected
 * statuses come from the example's route table, written by hand (test/support/synth-example.ts).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { ExistingApiExampleStack } from '../../examples/typescript/existing-api-stack';
import { StandaloneAuthorizerExampleStack } from '../../examples/typescript/standalone-authorizer-stack';
import { LocalHttpApi } from '../../local/http-api/gateway';
import { readHttpApis } from '../../local/http-api/template';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { GatewaySimulator } from '../../local/rest-api/gateway';
import { readTemplateApi } from '../../local/rest-api/template-api';
import { readAuthorizerAsset } from '../construct/synth';
import { AuthorizerProcess } from '../support/authorizer-process';
import { LOCAL_CLIENTS, LocalIssuer } from '../support/oidc-provider-issuer';
import { EXAMPLE_AUDIENCE, EXAMPLE_PROTECTED_ROUTES, EXAMPLE_REQUESTS, EXAMPLE_SCOPES } from '../support/synth-example';

const ORIGIN = 'https://app.example.com';

interface TokenCase { readonly name: string; readonly valid: boolean; readonly grants: string[]; token?: string }
const TOKENS: TokenCase[] = [
  { name: 'no token', valid: false, grants: [] },
  { name: 'token without scopes', valid: true, grants: [] },
  ...EXAMPLE_SCOPES.map((scope) => ({ name: `token with ${scope}`, valid: true, grants: [scope] })),
  { name: 'token with read:colors read:files', valid: true, grants: ['read:colors', 'read:files'] },
  { name: 'token with every scope', valid: true, grants: EXAMPLE_SCOPES },
  { name: 'token granting through permissions only', valid: true, grants: ['read:colors', 'read:files'] },
  { name: 'token from another issuer', valid: false, grants: EXAMPLE_SCOPES },
];
const token = (name: string) => TOKENS.find((t) => t.name === name)!;

function expectedStatus(route: string, t: TokenCase): number {
  if (route === 'GET /health') return 200;
  if (!t.valid) return 401;
  return EXAMPLE_PROTECTED_ROUTES[route].every((s) => t.grants.includes(s)) ? 200 : 403;
}

function headersFor(t: TokenCase, extra: Record<string, string> = {}): Record<string, string> {
  return { Origin: ORIGIN, ...(t.token === undefined ? {} : { Authorization: `Bearer ${t.token}` }), ...extra };
}

function synth(build: (app: App) => { stackName: string }): { template: object; assemblyDir: string; assetDir: string } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'existing-example-cdk-out-')), context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = build(app);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  return { template, assemblyDir: assembly.directory, assetDir: readAuthorizerAsset(Template.fromJSON(template), assembly.directory).assetDir };
}

let issuer: LocalIssuer;
let otherIssuer: LocalIssuer;

beforeAll(async () => {
  [issuer, otherIssuer] = await Promise.all([
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
  ]);
  token('token without scopes').token = await issuer.accessToken(LOCAL_CLIENTS.m2m);
  for (const t of TOKENS) {
    if (t.token !== undefined || !t.valid || t.name.includes('permissions') || t.grants.length === 0) continue;
    t.token = await issuer.accessToken(LOCAL_CLIENTS.m2m, t.grants.join(' '));
  }
  token('token granting through permissions only').token = await issuer.accessToken(LOCAL_CLIENTS.rbac);
  token('token from another issuer').token = await otherIssuer.accessToken(LOCAL_CLIENTS.m2m, EXAMPLE_SCOPES.join(' '));
}, 60_000);

afterAll(async () => {
  await Promise.all([issuer?.stop(), otherIssuer?.stop()]);
});

describe('a REST API handed over to Auth0ProtectedApi (ExistingApiExampleStack)', () => {
  let gateway: GatewaySimulator;
  beforeAll(async () => {
    const { template, assemblyDir } = synth((app) => new ExistingApiExampleStack(app, 'Auth0ExistingApiExample', { issuer: issuer.issuer, audience: EXAMPLE_AUDIENCE }));
    gateway = await GatewaySimulator.start(readTemplateApi(template, assemblyDir));
  }, 60_000);
  afterAll(async () => gateway?.stop());

  test('every route × every kind of token, and preflight, answered as expected', async () => {
    const misses: string[] = [];
    const cells = TOKENS.flatMap((t) => [
      ...EXAMPLE_REQUESTS.map((r) => ({ t, method: r.method, path: r.path, route: r.route, expected: expectedStatus(r.route, t) })),
      ...['/health', '/colors', '/colors/red', '/files/a/b/c.txt'].map((path) => ({ t, method: 'OPTIONS', path, route: 'OPTIONS', expected: 204 })),
    ]);
    for (const cell of cells) {
      const response = await gateway.handle({ method: cell.method, path: cell.path, headers: headersFor(cell.t) });
      const line = `${cell.t.name} ${cell.method} ${cell.path} → ${response.status}`;
      if (response.status !== cell.expected) misses.push(`${line} (expected ${cell.expected}; ${response.body})`);
      if ((cell.route === 'OPTIONS' || cell.route === 'GET /health') && response.authorizer !== 'not-required') misses.push(`${line}: reached the authorizer`);
    }
    expect(misses).toEqual([]);
    expect(cells.length).toBe(TOKENS.length * 12);
  });

  test('the construct\'s 401 and 403 gateway responses carry WWW-Authenticate and the owner\'s CORS origin', async () => {
    const unauthorized = await gateway.handle({ method: 'GET', path: '/colors', headers: headersFor(token('no token')) });
    expect({ status: unauthorized.status, body: JSON.parse(unauthorized.body) }).toEqual({ status: 401, body: { message: 'Unauthorized', error: 'invalid_token' } });
    expect(unauthorized.headers).toMatchObject({ 'www-authenticate': 'Bearer error="invalid_token"', 'access-control-allow-origin': ORIGIN });
    const forbidden = await gateway.handle({ method: 'DELETE', path: '/colors/red', headers: headersFor(token('token with read:colors')) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers).toMatchObject({ 'www-authenticate': 'Bearer error="insufficient_scope"', 'access-control-allow-origin': ORIGIN });
  });
});

describe('an HTTP API whose routes use Auth0HttpAuthorizer (StandaloneAuthorizerExampleStack)', () => {
  let authorizer: AuthorizerProcess;
  const functions = new FunctionRunner();
  let newGateway: () => LocalHttpApi;
  beforeAll(async () => {
    const { template, assemblyDir, assetDir } = synth((app) =>
      new StandaloneAuthorizerExampleStack(app, 'Auth0StandaloneAuthorizerExample', { issuer: issuer.issuer, audience: EXAMPLE_AUDIENCE }));
    authorizer = await AuthorizerProcess.startInDirectory(assetDir);
    const [api] = readHttpApis(template, assemblyDir);
    newGateway = () => new LocalHttpApi({
      api, functions, invokeAuthorizer: (_a, event) => authorizer.invoke(event as unknown as APIGatewayRequestAuthorizerEvent),
    });
  }, 60_000);
  afterAll(async () => {
    await authorizer?.stop();
    await functions.stop();
  });

  test('every route × every kind of token, and preflight, answered as expected', async () => {
    const gateway = newGateway();
    const misses: string[] = [];
    const cells = TOKENS.flatMap((t) => [
      ...EXAMPLE_REQUESTS.map((r) => ({ t, method: r.method, path: r.path, route: r.route, expected: expectedStatus(r.route, t) })),
      ...['/health', '/colors', '/colors/red', '/files/a/b/c.txt'].map((path) => ({ t, method: 'OPTIONS', path, route: 'OPTIONS', expected: 204 })),
    ]);
    for (const cell of cells) {
      const extra: Record<string, string> = cell.method === 'OPTIONS' ? { 'Access-Control-Request-Method': 'PUT' } : {};
      const response = await gateway.handle({ method: cell.method, path: cell.path, headers: headersFor(cell.t, extra) });
      const line = `${cell.t.name} ${cell.method} ${cell.path} → ${response.status}`;
      if (response.status !== cell.expected) misses.push(`${line} (expected ${cell.expected}; ${response.body})`);
      if ((cell.route === 'OPTIONS' || cell.route === 'GET /health') && response.authorizerInvoked) misses.push(`${line}: reached the authorizer`);
      if (response.headers['access-control-allow-origin'] !== ORIGIN) misses.push(`${line}: no CORS header`);
    }
    expect(misses).toEqual([]);
  });

  test('decisions are cached per route key, and the backend receives the claims', async () => {
    const gateway = newGateway();
    const t = token('token granting through permissions only');
    const first = await gateway.handle({ method: 'GET', path: '/colors', headers: headersFor(t) });
    const again = await gateway.handle({ method: 'GET', path: '/colors', headers: headersFor(t) });
    const other = await gateway.handle({ method: 'GET', path: '/files/a', headers: headersFor(t) });
    expect([first.authorizerInvoked, again.authorizerInvoked, other.authorizerInvoked]).toEqual([true, false, true]);
    expect(JSON.parse(other.body)).toMatchObject({ routeKey: 'ANY /files/{proxy+}', authorizer: { sub: LOCAL_CLIENTS.rbac, roles: JSON.stringify(['auditor']) } });
  });
});
