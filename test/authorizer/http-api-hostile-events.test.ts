// Hostile payload 2.0 events and cross-format events against the shipped bundle: never an allow off the configured route key, a 401 (never a 500) for a malformed Authorization.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { requestEvent } from '../support/api-gateway';
import { AuthorizerFixture } from '../support/fixture';

const HTTP_ROUTES = [
  { routeKey: 'GET /colors', scopes: ['read:colors'] },
  { routeKey: 'ANY /files/{proxy+}', scopes: ['read:colors', 'read:files'] },
];

function v2(routeKey: string, headers: unknown, extra: Record<string, unknown> = {}) {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeKey,
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/$default/GET/colors',
    identitySource: ['x', routeKey],
    rawPath: '/colors',
    rawQueryString: '',
    cookies: ['a=1', 'b=2'],
    headers,
    ...extra,
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('HTTP-API-configured authorizer', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => { fx = await AuthorizerFixture.start({ routes: [], httpRoutes: HTTP_ROUTES }); }, 60_000);
  afterAll(async () => fx?.stop());
  const good = () => fx.minter.accessToken({ scope: 'read:colors read:files' });
  const allowed = (o: unknown) => JSON.stringify(o).includes('"isAuthorized":true') || JSON.stringify(o).includes('"Effect":"Allow"');

  test('allowed on the right key, flat context', async () => {
    const o = await fx.authorizer.invoke(v2('GET /colors', { authorization: `Bearer ${good()}` }));
    expect(o).toMatchObject({ ok: { isAuthorized: true, context: { sub: expect.any(String), scope: 'read:colors read:files' } } });
  });

  test.each<[string, () => APIGatewayRequestAuthorizerEvent]>([
    ['$default not configured', () => v2('$default', { authorization: `Bearer ${good()}` })],
    ['lowercase route key', () => v2('get /colors', { authorization: `Bearer ${good()}` })],
    ['trailing slash route key', () => v2('GET /colors/', { authorization: `Bearer ${good()}` })],
    ['concrete method on ANY route key', () => v2('GET /files/{proxy+}', { authorization: `Bearer ${good()}` })],
    ['__proto__ route key', () => v2('__proto__', { authorization: `Bearer ${good()}` })],
    ['REST-shaped event for a configured path', () => requestEvent({ method: 'GET', resource: '/colors', token: good() })],
    ['REST-shaped event with version 2.0 but no routeKey', () => ({ ...requestEvent({ method: 'GET', resource: '/colors', token: good() }), version: '2.0' } as unknown as APIGatewayRequestAuthorizerEvent)],
  ])('no allow for %s', async (_n, ev) => {
    const o = await fx.authorizer.invoke(ev());
    expect(allowed(o)).toBe(false);
    expect(JSON.stringify(o)).not.toMatch(/"error":"(?!Unauthorized)/);
  });

  test.each<[string, () => unknown]>([
    ['comma-joined Authorization', () => ({ authorization: `Bearer ${good()},Bearer ${good()}` })],
    ['two names differing in case', () => ({ Authorization: `Bearer ${good()}`, authorization: `Bearer ${good()}` })],
    ['headers null', () => null],
    ['headers array', () => [`Bearer ${good()}`]],
    ['authorization array value', () => ({ authorization: [`Bearer ${good()}`] })],
    ['tab separator', () => ({ authorization: `Bearer\t${good()}` })],
    ['token in cookie only', () => ({ cookie: `token=${good()}` })],
  ])('401 (reject Unauthorized), never 500, for %s', async (_n, headers) => {
    const o = await fx.authorizer.invoke(v2('GET /colors', headers()));
    expect(o).toEqual({ error: 'Unauthorized', errorType: 'Error' });
  });

  test('uppercase header name is accepted', async () => {
    const o = await fx.authorizer.invoke(v2('GET /colors', { AUTHORIZATION: `Bearer ${good()}` }));
    expect(allowed(o)).toBe(true);
  });
});

describe('REST-configured authorizer receiving a payload 2.0 event', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => { fx = await AuthorizerFixture.start(); }, 60_000);
  afterAll(async () => fx?.stop());
  test('no allow for a 2.0 event whose routeKey names a REST route', async () => {
    const token = fx.minter.accessToken({ scope: 'read:colors read:items admin' });
    for (const key of ['GET /colors', 'ANY /admin/{proxy+}', '$default']) {
      const o = await fx.authorizer.invoke(v2(key, { authorization: `Bearer ${token}` }));
      expect(JSON.stringify(o)).not.toContain('"isAuthorized":true');
    }
  });
});
