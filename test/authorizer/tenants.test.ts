/**
 * Several domains and audiences of one tenant, and Organizations, against the shipped bundle with a
 * real JWKS over loopback HTTP.
 */
import { AuthorizerFixture } from '../support/fixture';
import { generateSigningKey, TokenMinter } from '../support/tokens';

const CUSTOM_DOMAIN = 'https://login.acme.com/';

describe('several domains and audiences', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({
      additionalIssuers: [CUSTOM_DOMAIN],
      additionalAudiences: ['https://old-api.example.com'],
    });
  });
  afterAll(async () => fx?.stop());
  const call = (token: string) => fx.call({ method: 'GET', resource: '/me', token });
  const fromDomain = (issuer: string) => new TokenMinter(issuer, fx.minter.audience, fx.minter.key);

  test('a token of the tenant\'s custom domain, signed with the tenant\'s key: 200', async () => {
    expect((await call(fromDomain(CUSTOM_DOMAIN).accessToken())).status).toBe(200);
  });

  test('a token of the main domain still passes: 200', async () => {
    expect((await call(fx.minter.accessToken())).status).toBe(200);
  });

  test.each([
    ['a domain not listed', 'https://login.evil.com/'],
    ['the custom domain without its trailing slash', 'https://login.acme.com'],
    ['the custom domain with another case', 'https://LOGIN.acme.com/'],
  ])('%s: 401 wrong_issuer', async (_name, issuer) => {
    expect((await call(fromDomain(issuer).accessToken())).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'wrong_issuer' });
  });

  test('the custom domain signed by a key not in the tenant\'s key set: 401', async () => {
    const other = new TokenMinter(CUSTOM_DOMAIN, fx.minter.audience, generateSigningKey());
    expect((await call(other.accessToken())).status).toBe(401);
  });

  test.each([
    ['the additional audience alone', 'https://old-api.example.com'],
    ['a list holding the additional audience', ['https://other.example.com', 'https://old-api.example.com']],
  ])('aud is %s: 200', async (_name, aud) => {
    expect((await call(fx.minter.accessToken({ aud }))).status).toBe(200);
  });

  test('aud holds neither the audience nor an additional one: 401 wrong_audience', async () => {
    expect((await call(fx.minter.accessToken({ aud: ['https://other.example.com'] }))).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'wrong_audience' });
  });
});

describe('organizations', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ organizations: ['org_allowed1', 'org_allowed2'] });
  });
  afterAll(async () => fx?.stop());
  const call = (claims: Record<string, unknown>, resource = '/me') => fx.call({ method: 'GET', resource, token: fx.minter.accessToken({ scope: 'read:colors', ...claims }) });

  test('a listed org_id: 200, and org_id and org_name reach the backend', async () => {
    const { status, result } = await call({ org_id: 'org_allowed2', org_name: 'acme' });
    expect(status).toBe(200);
    expect(result?.context).toMatchObject({ org_id: 'org_allowed2', org_name: 'acme', sub: 'auth0|user-1' });
  });

  test.each([
    ['no org_id', {}],
    ['another org_id', { org_id: 'org_other' }],
    ['org_id of another case', { org_id: 'ORG_ALLOWED1' }],
    ['org_id a list', { org_id: ['org_allowed1'] }],
  ])('%s: 401 wrong_organization on every route alike (no cached policy involved)', async (_name, claims) => {
    for (const resource of ['/me', '/colors', '/items/{id}']) {
      expect((await call(claims, resource)).status).toBe(401);
      expect(fx.lastRefusal()).toMatchObject({ reason: 'wrong_organization', status: 401 });
    }
  });
});

describe('org_id without an allow-list', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start();
  });
  afterAll(async () => fx?.stop());

  test('org_id and org_name reach the backend; tokens without them pass as before', async () => {
    const withOrg = await fx.call({ method: 'GET', resource: '/me', token: fx.minter.accessToken({ org_id: 'org_any', org_name: 'any' }) });
    expect(withOrg.result?.context).toMatchObject({ org_id: 'org_any', org_name: 'any' });
    const without = await fx.call({ method: 'GET', resource: '/me', token: fx.minter.accessToken() });
    expect(without.status).toBe(200);
    expect(without.result?.context).not.toHaveProperty('org_id');
  });
});
