/**
 * Route-correct caching on HTTP APIs, proved against the synthesized template: with the result
 * cache on, whatever API Gateway cached for a token on route A decides route B exactly as a fresh
 * call would, for every ordered pair of routes (overlapping templates, `{proxy+}`, `$default`).
 */
import { startLocalHttpApi, type LocalHttpApiFixture } from '../support/local-http-api';

/** Route key → its scopes (requiredScopes 'api' included) and a request API Gateway routes to it. */
const ROUTES: { routeKey: string; scopes: string[]; own: string[]; method: string; path: string }[] = [
  { routeKey: 'GET /items/{id}', own: ['read:items'], scopes: ['api', 'read:items'], method: 'GET', path: '/items/7' },
  { routeKey: 'GET /items/{id}/secret', own: ['admin'], scopes: ['api', 'admin'], method: 'GET', path: '/items/7/secret' },
  { routeKey: 'GET /items/featured', own: [], scopes: ['api'], method: 'GET', path: '/items/featured' },
  { routeKey: 'POST /items', own: ['write:items'], scopes: ['api', 'write:items'], method: 'POST', path: '/items' },
  { routeKey: 'ANY /files/{proxy+}', own: ['read:files'], scopes: ['api', 'read:files'], method: 'PUT', path: '/files/a/b/c' },
  { routeKey: 'GET /files/{proxy+}', own: ['admin'], scopes: ['api', 'admin'], method: 'GET', path: '/files/x' },
  { routeKey: '$default', own: ['admin'], scopes: ['api', 'admin'], method: 'DELETE', path: '/somewhere/else' },
];

/** Tokens with different grants, each claim kind used once. */
const GRANTS: Record<string, Record<string, unknown>> = {
  'api only (scope)': { scope: 'api' },
  'reader (scope + scp)': { scope: 'api read:items', scp: ['read:files'] },
  'writer (permissions)': { permissions: ['api', 'write:items'] },
  'admin (scope + permissions)': { scope: 'api', permissions: ['admin'] },
  'everything but api': { scope: 'read:items write:items read:files admin' },
};

function granted(claims: Record<string, unknown>): Set<string> {
  const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  return new Set([...scope, ...(claims.scp as string[] ?? []), ...(claims.permissions as string[] ?? [])]);
}

describe('HTTP API: a cached decision never decides another route', () => {
  let fx: LocalHttpApiFixture;
  beforeAll(async () => {
    fx = await startLocalHttpApi({ requiredScopes: ['api'], publicRoutes: ['GET /health'] }, (api, backend) => {
      api.addRoute('GET /health', backend);
      for (const r of ROUTES) api.addRoute(r.routeKey, backend, { scopes: r.own });
    });
  }, 60_000);
  afterAll(async () => fx?.stop());

  test('the emulation routes each request to the route it stands for', async () => {
    const gateway = fx.gateway();
    const token = fx.minter.accessToken(GRANTS['admin (scope + permissions)']);
    for (const r of ROUTES) {
      const response = await gateway.handle({ method: r.method, path: r.path, headers: { authorization: `Bearer ${token}` } });
      expect(response.routeKey).toBe(r.routeKey);
    }
  });

  test('the authorizer receives exactly the route table, by route key', () => {
    const authorizers = new Set(fx.api.routes.filter((r) => r.authorizer).map((r) => r.authorizer!.logicalId));
    expect(authorizers.size).toBe(1);
    const authorizer = fx.api.routes.find((r) => r.authorizer)!.authorizer!;
    expect(authorizer.identitySource).toEqual(['$request.header.Authorization', '$context.routeKey']);
    expect(authorizer.ttlSeconds).toBe(300);
    expect(authorizer.simpleResponses).toBe(true);
    expect(fx.api.routes.find((r) => r.routeKey === 'GET /health')!.authorizer).toBeUndefined();
  });

  for (const [name, claims] of Object.entries(GRANTS)) {
    test(`every ordered pair of routes, token: ${name}`, async () => {
      const token = fx.minter.accessToken(claims);
      const grants = granted(claims);
      const expected = (r: typeof ROUTES[number]) => (r.scopes.every((s) => grants.has(s)) ? 200 : 403);
      const headers = { authorization: `Bearer ${token}` };
      let pairs = 0;
      for (const a of ROUTES) {
        for (const b of ROUTES) {
          if (a === b) continue;
          const fresh = await fx.gateway().handle({ method: b.method, path: b.path, headers });
          const gateway = fx.gateway();
          const first = await gateway.handle({ method: a.method, path: a.path, headers });
          const second = await gateway.handle({ method: b.method, path: b.path, headers });
          expect({ pair: `${a.routeKey} then ${b.routeKey}`, a: first.status, b: second.status })
            .toEqual({ pair: `${a.routeKey} then ${b.routeKey}`, a: expected(a), b: expected(b) });
          expect(second.status).toBe(fresh.status);
          // B was decided by its own invocation, not by A's cached result ...
          expect(second.authorizerInvoked).toBe(true);
          // ... and A again is answered from the cache, with the same outcome.
          const again = await gateway.handle({ method: a.method, path: a.path, headers });
          expect({ status: again.status, invoked: again.authorizerInvoked }).toEqual({ status: first.status, invoked: false });
          pairs++;
        }
      }
      expect(pairs).toBe(ROUTES.length * (ROUTES.length - 1));
    }, 120_000);
  }

  test('a backend reads sub, scope and mapped claims from requestContext.authorizer.lambda', async () => {
    const token = fx.minter.accessToken({ scope: 'api read:items', permissions: ['admin'] });
    const response = await fx.gateway().handle({ method: 'GET', path: '/items/7', headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ routeKey: 'GET /items/{id}', authorizer: { sub: 'auth0|user-1', scope: 'api read:items admin' } });
  });
});
