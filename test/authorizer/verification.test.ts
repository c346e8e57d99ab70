/**
 * Token verification by the shipped bundle, with real RS256 keys served over loopback:
 * each case is one way a token can be right or wrong, and the status API Gateway would answer.
 */
import { AuthorizerFixture } from '../support/fixture';
import { generateSigningKey, nowSeconds, signJwt, TokenMinter } from '../support/tokens';

jest.setTimeout(15_000);

let f: AuthorizerFixture;
beforeAll(async () => {
  f = await AuthorizerFixture.start();
});
afterAll(async () => {
  await f?.stop();
});
beforeEach(() => f.authorizer.clearOutput());

const colors = { method: 'GET', resource: '/colors' } as const;

test('a valid token with the route scope is allowed (200)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
  expect(status).toBe(200);
});

test('the result carries principal sub, effective scope and mapped custom claims, flattened', async () => {
  const token = f.minter.accessToken({
    'sub': 'auth0|alice',
    'scope': 'read:colors openid',
    'permissions': ['read:colors', 'write:colors'],
    'https://example.com/email': 'alice@example.com',
    'https://example.com/roles': ['admin', 'editor'],
  });
  const { status, result } = await f.call({ ...colors, token });
  expect(status).toBe(200);
  expect(result?.principalId).toBe('auth0|alice');
  expect(result?.context).toEqual({
    sub: 'auth0|alice',
    scope: 'read:colors openid write:colors',
    email: 'alice@example.com',
    roles: '["admin","editor"]',
  });
});

test('a mapped claim the token lacks is omitted from the context', async () => {
  const { result } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
  expect(result?.context).toEqual({ sub: 'auth0|user-1', scope: 'read:colors' });
});

test('an expired token is refused (401)', async () => {
  const now = nowSeconds();
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', iat: now - 600, exp: now - 60 }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'expired', status: 401 });
});

test('a token expired by less than the clock tolerance is still accepted', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', exp: nowSeconds() - 2 }) });
  expect(status).toBe(200);
});

test('a token without exp is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', exp: undefined }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'invalid_claims', status: 401 });
});

test('a token that is not yet valid (nbf in the future) is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', nbf: nowSeconds() + 120 }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'not_yet_valid', status: 401 });
});

test('a token from another issuer is refused (401)', async () => {
  const other = new TokenMinter('https://evil.example.com/', f.minter.audience, f.minter.key);
  const { status } = await f.call({ ...colors, token: other.accessToken({ scope: 'read:colors' }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'wrong_issuer', status: 401 });
});

test('an issuer missing its trailing slash is refused (401)', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors', iss: f.minter.issuer.replace(/\/$/, '') });
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'wrong_issuer', status: 401 });
});

test('a token for another audience is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', aud: 'https://other.example.com' }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'wrong_audience', status: 401 });
});

test('an audience list containing ours is accepted', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors', aud: ['https://other.example.com', f.minter.audience] });
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(200);
});

test('a token without sub is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', sub: undefined }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'invalid_claims', status: 401 });
});

test('a token whose sub is not a string is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors', sub: 42 }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'invalid_claims', status: 401 });
});

test('an algorithm outside the allow-list is refused: RS384 signed by the published key, only RS256 allowed (401)', async () => {
  const token = signJwt({ alg: 'RS384', kid: f.minter.key.kid }, f.minter.claims({ scope: 'read:colors' }), f.minter.key.privateKey);
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'disallowed_algorithm' }));
});

test('an unknown kid is refused (401)', async () => {
  const stranger = generateSigningKey('RS256', 'not-published');
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: stranger }) });
  expect(status).toBe(401);
  expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'unknown_kid' }));
});

test('a token signed by another key under the published kid is refused (bad signature, 401)', async () => {
  const impostor = generateSigningKey('RS256', f.minter.key.kid);
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: impostor }) });
  expect(status).toBe(401);
  expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'bad_signature' }));
});

test('a token whose payload was altered after signing is refused (401)', async () => {
  const [header, , signature] = f.minter.accessToken({ scope: 'read:colors' }).split('.');
  const forged = Buffer.from(JSON.stringify(f.minter.claims({ scope: 'read:colors admin', sub: 'auth0|admin' }))).toString('base64url');
  const { status } = await f.call({ ...colors, token: `${header}.${forged}.${signature}` });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'bad_signature', status: 401 });
});

test('alg none with an empty signature is refused as malformed, before any algorithm check (401)', async () => {
  const token = signJwt({ alg: 'none', kid: f.minter.key.kid }, f.minter.claims({ scope: 'read:colors' }));
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'malformed_token', status: 401 });
});

test('alg none with a non-empty signature is refused (401)', async () => {
  const token = signJwt({ alg: 'none', kid: f.minter.key.kid }, f.minter.claims({ scope: 'read:colors' }));
  const { status } = await f.call({ ...colors, token: `${token}AAAA` });
  expect(status).toBe(401);
  expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'disallowed_algorithm' }));
});

test('HS256 signed with the public key as secret is refused (401)', async () => {
  const secret = Buffer.from(JSON.stringify(f.minter.key.jwk));
  const token = signJwt({ alg: 'HS256', kid: f.minter.key.kid }, f.minter.claims({ scope: 'read:colors' }), secret);
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'disallowed_algorithm', status: 401 });
});

test.each(['jwk', 'jku', 'x5u'])('a token carrying its own key reference in %s is refused outright (401)', async (param) => {
  const attacker = generateSigningKey('RS256', f.minter.key.kid);
  const value = param === 'jwk' ? attacker.jwk : 'https://evil.example.com/keys';
  // Signed with the real key: even a valid signature does not excuse the header.
  const token = f.minter.accessToken({ scope: 'read:colors' }, { header: { [param]: value } });
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'embedded_key' }));
});

test('an x5c header is ignored: a token signed by another key with its certificate chain fails the signature', async () => {
  const attacker = generateSigningKey('RS256', f.minter.key.kid);
  const token = f.minter.accessToken({ scope: 'read:colors' }, { key: attacker, header: { x5c: ['MIIBfake'] } });
  const { status } = await f.call({ ...colors, token });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'bad_signature', status: 401 });
});

test('an x5c header is ignored: a token signed by the published key passes with it', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors' }, { header: { x5c: ['MIIBfake'] } });
  expect((await f.call({ ...colors, token })).status).toBe(200);
});

test('a token without kid is refused (401)', async () => {
  const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { header: { kid: undefined } }) });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'missing_kid', status: 401 });
});
