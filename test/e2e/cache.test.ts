/**
 * API Gateway caches an authorizer's result under the values of the authorizer's identity source
 * and evaluates the cached policy against later requests with the same values, on any route. For
 * each route table below, built with the real construct and synthesized, this test runs the
 * authorizer asset the template deploys and checks, for several tokens and every ordered pair of
 * concrete requests (first request fills the cache, second one is decided from it when the cache
 * key matches), that the second request is decided exactly as a fresh call decides it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { GatewaySimulator, LOCAL_API_ID, type GatewayRequest } from '../../local/rest-api/gateway';
import { readTemplateApi } from '../../local/rest-api/template-api';
import { Auth0ProtectedApi } from '../../src';
import { evaluatePolicy, methodArn } from '../support/api-gateway';
import { JwksServer } from '../support/jwks-server';
import { generateSigningKey, jwksOf, TokenMinter } from '../support/tokens';

const AUDIENCE = 'https://api.acme.com';
const ALL_METHODS_MOCK = () => new MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200' }],
});

interface Table {
  readonly name: string;
  /** Route → scopes. */
  readonly routes: [string, string[]][];
  readonly publicRoutes?: string[];
  /** The identity source the construct must choose for it. */
  readonly identitySource: string[];
  /** Concrete requests, several per route. */
  readonly requests: { method: string; path: string; route: string }[];
}

const TABLES: Table[] = [
  {
    name: 'overlapping templates (cache key per token and route)',
    routes: [
      ['GET /items/{id}', ['read:items']],
      ['GET /items/{id}/secret', ['admin']],
      ['GET /items/featured', []],
      ['ANY /files/{proxy+}', ['read:files']],
    ],
    identitySource: ['method.request.header.Authorization', 'context.httpMethod', 'context.resourcePath'],
    requests: [
      { method: 'GET', path: '/items/7', route: 'GET /items/{id}' },
      { method: 'GET', path: '/items/8', route: 'GET /items/{id}' },
      { method: 'GET', path: '/items/7/secret', route: 'GET /items/{id}/secret' },
      { method: 'GET', path: '/items/featured/secret', route: 'GET /items/{id}/secret' },
      { method: 'GET', path: '/items/featured', route: 'GET /items/featured' },
      { method: 'GET', path: '/files/a', route: 'ANY /files/{proxy+}' },
      { method: 'GET', path: '/files/a/b/c', route: 'ANY /files/{proxy+}' },
      { method: 'PUT', path: '/files/a/b/c', route: 'ANY /files/{proxy+}' },
      { method: 'DELETE', path: '/files/items/7/secret', route: 'ANY /files/{proxy+}' },
    ],
  },
  {
    name: 'non-overlapping table (cache key = the token alone)',
    routes: [
      ['GET /colors', ['read:colors']],
      ['POST /colors', ['write:colors']],
      ['GET /colors/{name}', ['read:colors']],
      ['DELETE /colors/{name}', ['delete:colors']],
      ['ANY /files/{proxy+}', ['read:files']],
      ['GET /health', []],
    ],
    publicRoutes: ['GET /health'],
    identitySource: ['method.request.header.Authorization'],
    requests: [
      { method: 'GET', path: '/colors', route: 'GET /colors' },
      { method: 'POST', path: '/colors', route: 'POST /colors' },
      { method: 'GET', path: '/colors/red', route: 'GET /colors/{name}' },
      { method: 'GET', path: '/colors/blue', route: 'GET /colors/{name}' },
      { method: 'DELETE', path: '/colors/red', route: 'DELETE /colors/{name}' },
      { method: 'GET', path: '/files/a', route: 'ANY /files/{proxy+}' },
      { method: 'GET', path: '/files/a/b/c', route: 'ANY /files/{proxy+}' },
      { method: 'POST', path: '/files/colors/red', route: 'ANY /files/{proxy+}' },
      { method: 'GET', path: '/health', route: 'GET /health' },
    ],
  },
  {
    name: 'ANY at the root and encoded slashes in parameters (cache key = the token alone)',
    routes: [
      ['ANY /', []],
      ['GET /colors', ['read:colors']],
      ['GET /colors/{name}', ['read:colors']],
      ['DELETE /colors/{name}', ['delete:colors']],
    ],
    identitySource: ['method.request.header.Authorization'],
    requests: [
      { method: 'GET', path: '/', route: 'ANY /' },
      { method: 'POST', path: '/', route: 'ANY /' },
      { method: 'GET', path: '/colors', route: 'GET /colors' },
      { method: 'GET', path: '/colors/red', route: 'GET /colors/{name}' },
      { method: 'GET', path: '/colors/a%2Fb', route: 'GET /colors/{name}' },
      { method: 'DELETE', path: '/colors/red%2Fblue', route: 'DELETE /colors/{name}' },
    ],
  },
];

function scopesOf(table: Table): string[] {
  return [...new Set(table.routes.flatMap(([, scopes]) => scopes))].sort();
}

/** Tokens: no scopes, each scope alone, every scope. */
function tokenGrants(table: Table): string[][] {
  const scopes = scopesOf(table);
  return [[], ...scopes.map((s) => [s]), scopes];
}

let jwks: JwksServer;
let minter: TokenMinter;

beforeAll(async () => {
  const key = generateSigningKey('RS256');
  jwks = await JwksServer.start(jwksOf(key));
  minter = new TokenMinter(jwks.issuer, AUDIENCE, key);
});

afterAll(async () => {
  await jwks?.close();
});

describe.each(TABLES)('$name', (table) => {
  let gateway: GatewaySimulator;

  beforeAll(async () => {
    const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'CacheStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const api = new Auth0ProtectedApi(stack, 'Api', { issuer: jwks.issuer, audience: AUDIENCE, publicRoutes: table.publicRoutes });
    for (const [route, scopes] of table.routes) {
      api.addRoute(route, ALL_METHODS_MOCK(), { scopes, methodOptions: { methodResponses: [{ statusCode: '200' }] } });
    }
    const assembly = app.synth();
    gateway = await GatewaySimulator.start(readTemplateApi(assembly.getStackByName(stack.stackName).template, assembly.directory));
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const headersFor = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ask = (token: string, r: { method: string; path: string }): GatewayRequest =>
    ({ method: r.method, path: r.path, headers: headersFor(token) });

  test('the template keys the authorizer cache as the construct chose for this table', () => {
    const authorizers = [...gateway.api.authorizers.values()];
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0].identitySource).toEqual(table.identitySource);
    expect(authorizers[0].resultTtlSeconds).toBe(300);
    // Every concrete request routes where the table says.
    const routed = gateway.api.methods.map((m) => `${m.httpMethod} ${m.resourcePath}`);
    for (const [route] of table.routes) expect(routed).toContain(route);
  });

  test('for every token and every ordered pair of requests, the cached decision is the fresh decision', async () => {
    const sameKey = (a: { method: string; route: string }, b: { method: string; route: string }) =>
      (table.identitySource.length === 1 ? true : a.method === b.method && a.route.split(' ')[1] === b.route.split(' ')[1]);
    const misses: string[] = [];
    let pairs = 0;
    let fromCache = 0;
    for (const grants of tokenGrants(table)) {
      const token = minter.accessToken({ scope: grants.join(' ') || undefined });
      const fresh = new Map<string, number>();
      for (const r of table.requests) {
        gateway.clearCache();
        const response = await gateway.handle(ask(token, r));
        expect(response.route).toBe(r.route);
        fresh.set(`${r.method} ${r.path}`, response.status);
      }
      // The fresh decisions themselves follow the table.
      for (const r of table.requests) {
        const needed = table.routes.find(([route]) => route === r.route)![1];
        const expected = needed.every((s) => grants.includes(s)) ? 200 : 403;
        if (fresh.get(`${r.method} ${r.path}`) !== expected) misses.push(`fresh [${grants}] ${r.method} ${r.path}: ${fresh.get(`${r.method} ${r.path}`)}, expected ${expected}`);
      }
      for (const first of table.requests) {
        for (const second of table.requests) {
          pairs += 1;
          gateway.clearCache();
          await gateway.handle(ask(token, first));
          const response = await gateway.handle(ask(token, second));
          const isPublic = table.publicRoutes?.includes(second.route) ?? false;
          const expectedStep = isPublic ? 'not-required' : sameKey(first, second) && !(table.publicRoutes?.includes(first.route)) ? 'cached' : 'invoked';
          if (response.authorizer === 'cached') fromCache += 1;
          const want = fresh.get(`${second.method} ${second.path}`);
          if (response.status !== want || response.authorizer !== expectedStep) {
            misses.push(`[${grants}] ${first.method} ${first.path} then ${second.method} ${second.path}: ${response.status} (${response.authorizer}), fresh ${want} (expected ${expectedStep})`);
          }
        }
      }
    }
    expect(misses).toEqual([]);
    expect(pairs).toBe(tokenGrants(table).length * table.requests.length ** 2);
    expect(fromCache).toBeGreaterThan(0);
  });

  if (table.identitySource.length > 1) {
    test('why this table needs the route in the cache key: a policy reused across routes would let a token through', async () => {
      // What a token-only cache key would do: evaluate one route's policy against another route's request.
      const token = minter.accessToken({ scope: 'read:items' });
      gateway.clearCache();
      const items = await gateway.handle(ask(token, { method: 'GET', path: '/items/7' }));
      expect(items.status).toBe(200);
      const fresh = await gateway.handle(ask(token, { method: 'GET', path: '/items/7/secret' }));
      expect(fresh.status).toBe(403);
      const cachedPolicy = (await cachedResultFor(gateway, token, { method: 'GET', path: '/items/7' })).policyDocument;
      expect(evaluatePolicy(cachedPolicy, methodArn('GET', '/items/7/secret', gateway.api.stageName, LOCAL_API_ID))).toBe('allow');
    });
  }
});

/** The authorizer's raw result for one request, from the asset the simulator runs. */
async function cachedResultFor(gateway: GatewaySimulator, token: string, r: { method: string; path: string }) {
  const result = await gateway.authorizerResult({ method: r.method, path: r.path, headers: { Authorization: `Bearer ${token}` } });
  if (!result) throw new Error('the authorizer refused');
  return result;
}
