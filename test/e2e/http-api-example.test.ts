/**
 * End to end over the HTTP API example (examples/typescript/http-api-stack.ts): a real OpenID
 * provider on 127.0.0.1 as the Auth0 tenant, tokens from its token endpoint, the synthesized
 * template served by the local HTTP API emulation (local/http-api/), the authorizer asset the
 * template deploys, and the example's own backend code. Expected statuses are written by hand
 * from the example's route table.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { HttpApiExampleStack } from '../../examples/typescript/http-api-stack';
import { LocalHttpApi, type LocalRequest } from '../../local/http-api/gateway';
import { readHttpApis } from '../../local/http-api/template';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { readAuthorizerAsset } from '../construct/synth';
import { AuthorizerProcess } from '../support/authorizer-process';
import { LOCAL_CLIENTS, LocalIssuer } from '../support/oidc-provider-issuer';
import { EXAMPLE_AUDIENCE, EXAMPLE_SCOPES, EXAMPLE_PROTECTED_ROUTES, EXAMPLE_REQUESTS } from '../support/synth-example';

const PROTECTED = EXAMPLE_PROTECTED_ROUTES;
const REQUESTS = EXAMPLE_REQUESTS;
const PREFLIGHT_PATHS = ['/health', '/colors', '/colors/red', '/files/a/b/c.txt'];

interface TokenCase { readonly name: string; readonly valid: boolean; readonly grants: string[]; token?: string }
const TOKENS: TokenCase[] = [
  { name: 'no token', valid: false, grants: [] },
  { name: 'token without scopes', valid: true, grants: [] },
  ...EXAMPLE_SCOPES.map((scope) => ({ name: `token with ${scope}`, valid: true, grants: [scope] })),
  { name: 'token with every scope', valid: true, grants: EXAMPLE_SCOPES },
  { name: 'token granting through permissions only', valid: true, grants: ['read:colors', 'read:files'] },
  { name: 'token from another issuer', valid: false, grants: EXAMPLE_SCOPES },
];
const token = (name: string) => TOKENS.find((t) => t.name === name)!;

function expectedStatus(route: string, t: TokenCase): number {
  if (route === 'GET /health') return 200;
  if (!t.valid) return 401;
  return PROTECTED[route].every((s) => t.grants.includes(s)) ? 200 : 403;
}

function request(method: string, path: string, t: TokenCase, extra: Record<string, string> = {}): LocalRequest {
  const headers: Record<string, string> = { Origin: 'https://app.example.com', ...extra };
  if (t.token !== undefined) headers.Authorization = `Bearer ${t.token}`;
  return { method, path, headers };
}

let issuer: LocalIssuer;
let otherIssuer: LocalIssuer;
let authorizer: AuthorizerProcess;
const functions = new FunctionRunner();
let gateway: LocalHttpApi;
let newGateway: () => LocalHttpApi;

beforeAll(async () => {
  [issuer, otherIssuer] = await Promise.all([
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
  ]);
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'http-example-cdk-out-')), context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new HttpApiExampleStack(app, 'Auth0ProtectedHttpApiExample', { issuer: issuer.issuer, audience: EXAMPLE_AUDIENCE });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const { assetDir } = readAuthorizerAsset(Template.fromJSON(template), assembly.directory);
  authorizer = await AuthorizerProcess.startInDirectory(assetDir);
  const [api] = readHttpApis(template, assembly.directory);
  newGateway = () => new LocalHttpApi({
    api,
    functions,
    invokeAuthorizer: (_a, event) => authorizer.invoke(event as unknown as APIGatewayRequestAuthorizerEvent),
  });
  gateway = newGateway();

  token('token without scopes').token = await issuer.accessToken(LOCAL_CLIENTS.m2m);
  for (const t of TOKENS) {
    if (t.token !== undefined || !t.valid || t.name.includes('permissions') || t.grants.length === 0) continue;
    t.token = await issuer.accessToken(LOCAL_CLIENTS.m2m, t.grants.join(' '));
  }
  token('token granting through permissions only').token = await issuer.accessToken(LOCAL_CLIENTS.rbac);
  token('token from another issuer').token = await otherIssuer.accessToken(LOCAL_CLIENTS.m2m, EXAMPLE_SCOPES.join(' '));
}, 60_000);

afterAll(async () => {
  await authorizer?.stop();
  await functions.stop();
  await Promise.all([issuer?.stop(), otherIssuer?.stop()]);
});

describe('HTTP API example, end to end', () => {
  const cells = TOKENS.flatMap((t) => [
    ...REQUESTS.map((r) => ({ t, method: r.method, path: r.path, route: r.route, expected: expectedStatus(r.route, t) })),
    ...PREFLIGHT_PATHS.map((path) => ({ t, method: 'OPTIONS', path, route: 'OPTIONS', expected: 204 })),
  ]);

  test(`${cells.length} requests (every route × every kind of token, plus preflight), each answered as expected`, async () => {
    const misses: string[] = [];
    for (const cell of cells) {
      const extra: Record<string, string> = cell.method === 'OPTIONS' ? { 'Access-Control-Request-Method': 'PUT' } : {};
      const response = await gateway.handle(request(cell.method, cell.path, cell.t, extra));
      const line = `${cell.t.name.padEnd(40)} ${cell.method.padEnd(7)} ${cell.path.padEnd(18)} → ${response.status}`;
      if (response.status !== cell.expected) misses.push(`${line} (expected ${cell.expected}; ${response.body})`);
      if ((cell.route === 'OPTIONS' || cell.route === 'GET /health') && response.authorizerInvoked) misses.push(`${line}: reached the authorizer`);
      if (response.headers['access-control-allow-origin'] !== 'https://app.example.com') misses.push(`${line}: no CORS header`);
    }
    expect(misses).toEqual([]);
  });

  test('the backend receives sub, scope and the roles claim in requestContext.authorizer.lambda', async () => {
    const response = await newGateway().handle(request('GET', '/files/a/b', token('token granting through permissions only')));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ routeKey: 'ANY /files/{proxy+}', authorizer: { sub: LOCAL_CLIENTS.rbac, roles: JSON.stringify(['auditor']) } });
    expect(body.authorizer.scope.split(' ').sort()).toEqual(['read:colors', 'read:files']);
  });

  test('401 and 403 have API Gateway\'s bodies', async () => {
    const fresh = newGateway();
    const other = await fresh.handle(request('GET', '/colors', token('token from another issuer')));
    expect({ status: other.status, body: JSON.parse(other.body), invoked: other.authorizerInvoked }).toEqual({ status: 401, body: { message: 'Unauthorized' }, invoked: true });
    const forbidden = await fresh.handle(request('DELETE', '/colors/red', token('token with read:colors')));
    expect({ status: forbidden.status, body: JSON.parse(forbidden.body) }).toEqual({ status: 403, body: { message: 'Forbidden' } });
  });

  test('a token is decided once per route while cached', async () => {
    const fresh = newGateway();
    const t = token('token with every scope');
    const first = await fresh.handle(request('GET', '/colors', t));
    const again = await fresh.handle(request('GET', '/colors', t));
    const other = await fresh.handle(request('GET', '/colors/red', t));
    expect([first.authorizerInvoked, again.authorizerInvoked, other.authorizerInvoked]).toEqual([true, false, true]);
  });
});
