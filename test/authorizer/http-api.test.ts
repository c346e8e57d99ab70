/**
 * The shipped bundle answering HTTP API (payload 2.0) events through the local HTTP API over the
 * synthesized template: 401 for a missing or bad token, 403 for missing scopes, never a 500.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { serveHttpApi, type ServedHttpApi } from '../../local/http-api/http-api-server';
import { startLocalHttpApi, type LocalHttpApiFixture } from '../support/local-http-api';
import { generateSigningKey, nowSeconds } from '../support/tokens';

describe('HTTP API authorizer', () => {
  let fx: LocalHttpApiFixture;
  beforeAll(async () => {
    fx = await startLocalHttpApi({
      requiredScopes: ['read:colors'],
      publicRoutes: ['GET /health'],
      contextClaims: { roles: 'https://example.com/roles' },
      cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization'] },
    }, (api, backend) => {
      api.addRoute('GET /health', backend);
      api.addRoute('GET /colors', backend);
      api.addRoute('POST /colors', backend, { scopes: ['write:colors', 'audit'] });
      api.addRoute('ANY /files/{proxy+}', backend);
    });
  }, 60_000);
  afterAll(async () => fx?.stop());
  beforeEach(() => fx.authorizer.clearOutput());

  const call = (headers: Record<string, string | string[]>, method = 'GET', path = '/colors') => fx.gateway().handle({ method, path, headers });

  test('no Authorization header: 401 {"message":"Unauthorized"} without invoking the authorizer', async () => {
    const response = await call({});
    expect({ status: response.status, body: JSON.parse(response.body), invoked: response.authorizerInvoked })
      .toEqual({ status: 401, body: { message: 'Unauthorized' }, invoked: false });
  });

  test.each<[string, () => string]>([
    ['not Bearer', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['not a JWS', () => 'Bearer abc'],
    ['expired', () => `Bearer ${fx.minter.accessToken({ scope: 'read:colors', exp: nowSeconds() - 60 })}`],
    ['wrong audience', () => `Bearer ${fx.minter.accessToken({ scope: 'read:colors', aud: 'https://other' })}`],
    ['wrong issuer', () => `Bearer ${fx.minter.accessToken({ scope: 'read:colors', iss: 'https://evil.example.com/' })}`],
    ['signed by an unknown key', () => `Bearer ${fx.minter.accessToken({ scope: 'read:colors' }, { key: generateSigningKey('RS256') })}`],
  ])('invalid token (%s): 401 after invoking the authorizer, never 500', async (_name, authorization) => {
    const response = await call({ authorization: authorization() });
    expect({ status: response.status, body: JSON.parse(response.body), invoked: response.authorizerInvoked })
      .toEqual({ status: 401, body: { message: 'Unauthorized' }, invoked: true });
    expect(fx.authorizer.output).not.toContain(authorization().replace(/^Bearer /, ''));
  });

  test('two Authorization headers (payload 2.0 joins them with a comma): 401', async () => {
    const good = fx.minter.accessToken({ scope: 'read:colors' });
    const response = await call({ authorization: [`Bearer ${good}`, `Bearer ${good}`] });
    expect(response.status).toBe(401);
    expect(fx.authorizer.logLines().find((l) => l.reason)).toMatchObject({ reason: 'malformed_token', detail: 'more than one Authorization header', route: 'GET /colors' });
  });

  test('a valid token lacking one of several scopes: 403 {"message":"Forbidden"} (all of them are required)', async () => {
    const token = fx.minter.accessToken({ scope: 'read:colors write:colors' });
    const response = await call({ authorization: `Bearer ${token}` }, 'POST');
    expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(fx.authorizer.logLines().find((l) => l.reason)).toMatchObject({ reason: 'insufficient_scope', missingScopes: ['audit'], status: 403 });
  });

  test('grants are the union of scope, scp and permissions', async () => {
    const token = fx.minter.accessToken({ scope: 'read:colors', scp: 'write:colors', permissions: ['audit'] });
    expect((await call({ authorization: `bearer ${token}` }, 'POST')).status).toBe(200);
  });

  test('context is flat: sub, scope and mapped claims as strings', async () => {
    const token = fx.minter.accessToken({ 'scope': 'read:colors', 'https://example.com/roles': ['admin', 'ops'] });
    const response = await call({ authorization: `Bearer ${token}` });
    expect(JSON.parse(response.body).authorizer).toEqual({ sub: 'auth0|user-1', scope: 'read:colors', roles: '["admin","ops"]' });
  });

  test('a route key the configuration does not know: 403 and an ERROR line, not 200', async () => {
    const token = fx.minter.accessToken({ scope: 'read:colors' });
    const event = { version: '2.0', type: 'REQUEST', routeKey: 'DELETE /colors', routeArn: 'arn:aws:execute-api:us-east-1:1:a/$default/DELETE/colors', headers: { authorization: `Bearer ${token}` } };
    const outcome = await fx.authorizer.invoke(event as unknown as APIGatewayRequestAuthorizerEvent);
    expect(outcome).toEqual({ ok: { isAuthorized: false, context: {} } });
    expect(fx.authorizer.logLines().find((l) => l.reason)).toMatchObject({ level: 'ERROR', reason: 'unknown_route' });
  });

  test.each<[string, Record<string, unknown>]>([
    ['headers is a string', { headers: 'authorization: x' }],
    ['authorization is a number', { headers: { authorization: 7 } }],
    ['no headers at all', {}],
  ])('a malformed event (%s) is refused with Unauthorized, never a 500', async (_name, extra) => {
    const event = { version: '2.0', type: 'REQUEST', routeKey: 'GET /colors', ...extra };
    expect(await fx.authorizer.invoke(event as unknown as APIGatewayRequestAuthorizerEvent)).toMatchObject({ error: 'Unauthorized' });
  });

  test('public routes skip the authorizer', async () => {
    const response = await call({}, 'GET', '/health');
    expect({ status: response.status, invoked: response.authorizerInvoked }).toEqual({ status: 200, invoked: false });
  });

  describe('CORS', () => {
    const preflight = (path: string) => call({ 'origin': 'https://app.example.com', 'access-control-request-method': 'GET' }, 'OPTIONS', path);

    test('preflight on a plain route is answered by API Gateway, not the authorizer', async () => {
      const response = await preflight('/colors');
      expect({ status: response.status, invoked: response.authorizerInvoked, origin: response.headers['access-control-allow-origin'] })
        .toEqual({ status: 204, invoked: false, origin: 'https://app.example.com' });
    });

    test('preflight on an ANY route goes to the preflight route, never the authorizer', async () => {
      const response = await preflight('/files/a/b');
      expect(response.routeKey).toBe('OPTIONS /files/{proxy+}');
      expect({ status: response.status, invoked: response.authorizerInvoked }).toEqual({ status: 204, invoked: false });
      expect(response.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-headers': 'authorization' });
    });

    test('a browser can read 401 and 403', async () => {
      const unauthorized = await call({ origin: 'https://app.example.com' });
      const forbidden = await call({ origin: 'https://app.example.com', authorization: `Bearer ${fx.minter.accessToken({ scope: 'x' })}` });
      expect([unauthorized.status, forbidden.status]).toEqual([401, 403]);
      for (const r of [unauthorized, forbidden]) expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com');
    });

    test('an origin not listed gets no CORS headers', async () => {
      const response = await call({ origin: 'https://evil.example.com' });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('the local HTTP API over loopback HTTP', () => {
  let fx: LocalHttpApiFixture;
  let served: ServedHttpApi;
  beforeAll(async () => {
    fx = await startLocalHttpApi({ publicRoutes: ['GET /health'] }, (api, backend) => {
      api.addRoute('GET /health', backend);
      api.addRoute('GET /colors/{name}', backend, { scopes: ['read:colors'] });
    });
    served = await serveHttpApi(fx.gateway(), { port: 0, log: () => undefined, onActivity: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    await fx?.stop();
  });

  test('a real HTTP client gets 200, 401, 403 and 404 as API Gateway answers them', async () => {
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${served.baseUrl}${path}`, { headers });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    };
    const good = fx.minter.accessToken({ scope: 'read:colors' });
    expect(await get('/colors/red', { authorization: `Bearer ${good}` })).toEqual({ status: 200, body: { routeKey: 'GET /colors/{name}', authorizer: { sub: 'auth0|user-1', scope: 'read:colors' } } });
    expect(await get('/colors/red')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await get('/colors/red', { authorization: `Bearer ${fx.minter.accessToken({ scope: 'other' })}` })).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(await get('/nothing')).toEqual({ status: 404, body: { message: 'Not Found' } });
    expect((await get('/health')).status).toBe(200);
  });
});
