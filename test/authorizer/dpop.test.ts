/**
 * DPoP (RFC 9449 section 4.3) against the shipped bundle: real keys, a real JWKS over loopback
 * HTTP, REST REQUEST events as API Gateway sends them. Every hostile proof is a 401, never 500 or 200.
 */
import { createHash, randomUUID } from 'crypto';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl } from '../support/api-gateway';
import { dpopProof, generateDpopKey, type ProofOptions } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';
import { base64url, generateSigningKey, nowSeconds, signJwt } from '../support/tokens';

const ME = executeApiUrl('/me');

describe('DPoP ALLOWED', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ dpop: dpopConfigOf(DpopMode.ALLOWED) });
  });
  afterAll(async () => fx?.stop());
  beforeEach(() => fx.authorizer.clearOutput());

  const client = generateDpopKey('ES256');
  const boundToken = (claims: Record<string, unknown> = {}) => fx.minter.accessToken({ cnf: { jkt: client.jkt }, ...claims });
  const proofFor = (token: string, options: Partial<ProofOptions> = {}) => dpopProof(client, { htm: 'GET', htu: ME, token, ...options });
  const send = (token: string, proof: string | string[] | undefined, extra: { method?: string; resource?: string; scheme?: string } = {}) =>
    fx.call({
      method: extra.method ?? 'GET',
      resource: extra.resource ?? '/me',
      authorization: `${extra.scheme ?? 'DPoP'} ${token}`,
      headers: proof === undefined ? {} : { DPoP: proof },
    });
  const expectRefused = async (call: Promise<{ status: number }>, reason: string, detail?: RegExp) => {
    expect((await call).status).toBe(401);
    const line = fx.lastRefusal();
    expect(line).toMatchObject({ reason, status: 401 });
    if (detail) expect(String(line?.detail)).toMatch(detail);
  };

  test('a bound token with a valid proof: 200, principal and context as for Bearer', async () => {
    const token = boundToken({ scope: 'read:colors' });
    const { status, result } = await send(token, proofFor(token));
    expect(status).toBe(200);
    expect(result).toMatchObject({ principalId: 'auth0|user-1', context: { sub: 'auth0|user-1', scope: 'read:colors' } });
  });

  test.each(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'])('a proof signed with %s: 200', async (alg) => {
    const other = generateDpopKey(alg);
    const token = fx.minter.accessToken({ cnf: { jkt: other.jkt } });
    expect((await send(token, dpopProof(other, { htm: 'GET', htu: ME, token }))).status).toBe(200);
  });

  test('htu with a query and fragment compares without them (RFC 9449 section 4.3, check 9): 200', async () => {
    const token = boundToken();
    expect((await send(token, proofFor(token, { htu: `${ME}?page=2#top` }))).status).toBe(200);
  });

  test('a Bearer token without cnf still passes in ALLOWED: 200', async () => {
    expect((await send(fx.minter.accessToken(), undefined, { scheme: 'Bearer' })).status).toBe(200);
  });

  test('a bound token presented as Bearer: 401 bound_token_as_bearer', async () => {
    await expectRefused(send(boundToken(), undefined, { scheme: 'Bearer' }), 'bound_token_as_bearer');
  });

  test('a bound token presented as Bearer with a valid proof beside it: 401', async () => {
    const token = boundToken();
    await expectRefused(send(token, proofFor(token), { scheme: 'Bearer' }), 'invalid_dpop_proof', /DPoP header with the Bearer scheme/);
  });

  test.each<[string, (token: string) => string, RegExp]>([
    ['typ missing', (t) => proofFor(t, { header: { typ: undefined } }), /typ/],
    ['typ jwt', (t) => proofFor(t, { header: { typ: 'JWT' } }), /typ/],
    ['typ application/dpop+jwt', (t) => proofFor(t, { header: { typ: 'application/dpop+jwt' } }), /typ/],
    ['no jwk', (t) => proofFor(t, { header: { jwk: undefined } }), /no jwk/],
    ['a private key in jwk', (t) => proofFor(t, { header: { jwk: { ...client.jwk, d: client.key.privateKey.export({ format: 'jwk' }).d } } }), /private key material/],
    ['a symmetric key in jwk', (t) => proofFor(t, { header: { jwk: { kty: 'oct', k: base64url('secret') } } }), /private key material/],
    ['signed by another key', (t) => proofFor(t, { signWith: generateSigningKey('ES256') }), /signature/],
    ['htm another method', (t) => proofFor(t, { htm: 'POST' }), /htm/],
    ['htm lower case', (t) => proofFor(t, { htm: 'get' }), /htm/],
    ['htu another path', (t) => proofFor(t, { htu: executeApiUrl('/colors') }), /htu/],
    ['htu another stage', (t) => proofFor(t, { htu: executeApiUrl('/me', 'dev') }), /htu/],
    ['htu another host', (t) => proofFor(t, { htu: 'https://evil.example.com/prod/me' }), /htu/],
    ['htu over http', (t) => proofFor(t, { htu: ME.replace('https:', 'http:') }), /htu/],
    ['htu not a URL', (t) => proofFor(t, { htu: '/prod/me' }), /htu/],
    ['iat two minutes old', (t) => proofFor(t, { claims: { iat: nowSeconds() - 120 } }), /iat/],
    ['iat a minute ahead', (t) => proofFor(t, { claims: { iat: nowSeconds() + 60 } }), /iat/],
    ['iat missing', (t) => proofFor(t, { claims: { iat: undefined } }), /iat/],
    ['iat a string', (t) => proofFor(t, { claims: { iat: String(nowSeconds()) } }), /iat/],
    ['jti missing', (t) => proofFor(t, { claims: { jti: undefined } }), /jti/],
    ['jti empty', (t) => proofFor(t, { claims: { jti: '' } }), /jti/],
    ['jti 300 characters', (t) => proofFor(t, { claims: { jti: 'x'.repeat(300) } }), /jti/],
    ['ath missing', (t) => proofFor(t, { claims: { ath: undefined } }), /ath/],
    ['ath of another token', (t) => proofFor(t, { token: fx.minter.accessToken() }), /ath/],
    ['ath as hex', (t) => proofFor(t, { claims: { ath: createHash('sha256').update(t).digest('hex') } }), /ath/],
    ['not a JWS', () => 'not.a.jws!', /compact JWS/],
    ['huge (64 KiB)', () => `${'a'.repeat(64 * 1024)}.b.c`, /longer than/],
    ['header not JSON', () => `${base64url('{')}.${base64url('{}')}.AAAA`, /not a JSON object/],
  ])('a proof with %s: 401 invalid_dpop_proof', async (_name, proofFor_, detail) => {
    const token = boundToken();
    await expectRefused(send(token, proofFor_(token)), 'invalid_dpop_proof', detail);
  });

  test.each([
    ['none', () => signJwt({ typ: 'dpop+jwt', alg: 'none', jwk: client.jwk }, { jti: randomUUID(), htm: 'GET', htu: ME, iat: nowSeconds() })],
    ['HS256', () => signJwt({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: base64url('k') } }, { jti: randomUUID(), htm: 'GET', htu: ME, iat: nowSeconds() }, Buffer.from('k'))],
    ['HS256 with the client\'s public jwk', () => signJwt({ typ: 'dpop+jwt', alg: 'HS256', jwk: client.jwk }, { jti: randomUUID(), htm: 'GET', htu: ME, iat: nowSeconds() }, Buffer.from(JSON.stringify(client.jwk)))],
  ])('alg %s: 401 invalid_dpop_proof', async (_name, proof) => {
    // `none` has an empty signature, so it is refused as no compact JWS before its alg is even read.
    await expectRefused(send(boundToken(), proof()), 'invalid_dpop_proof', /alg|compact JWS/);
  });

  test('a replayed proof: the first request 200, the same proof again 401 dpop_proof_replayed', async () => {
    const token = boundToken();
    const proof = proofFor(token);
    expect((await send(token, proof)).status).toBe(200);
    await expectRefused(send(token, proof), 'dpop_proof_replayed');
  });

  test('the same proof in ten concurrent requests: exactly one 200', async () => {
    const token = boundToken();
    const proof = proofFor(token);
    const statuses = (await Promise.all(Array.from({ length: 10 }, () => send(token, proof)))).map((c) => c.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(9);
  });

  test('a proof refused for another reason does not spend its jti; a valid one does', async () => {
    const token = boundToken();
    const jti = randomUUID();
    expect((await send(token, proofFor(token, { htm: 'POST', claims: { jti } }))).status).toBe(401);
    expect((await send(token, proofFor(token, { claims: { jti } }))).status).toBe(200);
    expect((await send(token, proofFor(token, { claims: { jti } }))).status).toBe(401);
  });

  test('two DPoP headers (both valid): 401', async () => {
    const token = boundToken();
    await expectRefused(send(token, [proofFor(token), proofFor(token)]), 'invalid_dpop_proof', /more than one DPoP header/);
  });

  test('the DPoP scheme without a DPoP header: 401', async () => {
    await expectRefused(send(boundToken(), undefined), 'invalid_dpop_proof', /without a DPoP header/);
  });

  test('a valid proof by another key than the token is bound to: 401 dpop_binding_mismatch', async () => {
    const thief = generateDpopKey('ES256');
    const token = boundToken();
    await expectRefused(send(token, dpopProof(thief, { htm: 'GET', htu: ME, token })), 'dpop_binding_mismatch', /thumbprint/);
  });

  test('the DPoP scheme with a token that is not bound (no cnf): 401 dpop_binding_mismatch', async () => {
    const token = fx.minter.accessToken();
    await expectRefused(send(token, proofFor(token)), 'dpop_binding_mismatch', /not bound/);
  });

  test('a proof for another route: 401 (htm and htu name the route)', async () => {
    const token = boundToken({ scope: 'read:colors' });
    await expectRefused(send(token, proofFor(token), { resource: '/colors' }), 'invalid_dpop_proof', /htu/);
  });

  test('a custom domain with a base path: htu is https://{domainName}{requestContext.path}', async () => {
    const token = boundToken();
    const proof = proofFor(token, { htu: 'https://api.acme.com/v1/me' });
    const call = (contextPath: string) => fx.call({
      method: 'GET',
      resource: '/me',
      authorization: `DPoP ${token}`,
      headers: { DPoP: proof, Host: 'api.acme.com' },
      domainName: 'api.acme.com',
      contextPath,
    });
    expect((await call('/v2/me')).status).toBe(401);
    expect((await call('/v1/me')).status).toBe(200);
  });

  test('no proof or token ever reaches the log', async () => {
    const token = boundToken();
    const proof = proofFor(token, { htm: 'DELETE' });
    await send(token, proof);
    for (const part of [...token.split('.'), ...proof.split('.')]) expect(fx.authorizer.output).not.toContain(part);
  });
});

describe('DPoP REQUIRED', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ dpop: dpopConfigOf(DpopMode.REQUIRED) });
  });
  afterAll(async () => fx?.stop());
  const client = generateDpopKey('ES256');

  test('a Bearer token without cnf: 401 dpop_required', async () => {
    expect((await fx.call({ resource: '/me', token: fx.minter.accessToken() })).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'dpop_required' });
  });

  test('a bound token with a valid proof: 200', async () => {
    const token = fx.minter.accessToken({ cnf: { jkt: client.jkt } });
    const proof = dpopProof(client, { htm: 'GET', htu: ME, token });
    expect((await fx.call({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: proof } })).status).toBe(200);
  });
});

describe('DPoP DISABLED (the default)', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start();
  });
  afterAll(async () => fx?.stop());
  const client = generateDpopKey('ES256');

  test('a bound token as Bearer: 401 bound_token_as_bearer (a token with cnf is never a Bearer token)', async () => {
    expect((await fx.call({ resource: '/me', token: fx.minter.accessToken({ cnf: { jkt: client.jkt } }) })).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'bound_token_as_bearer' });
  });

  test('a bound token with a valid proof and the DPoP scheme: 401 dpop_not_enabled', async () => {
    const token = fx.minter.accessToken({ cnf: { jkt: client.jkt } });
    const proof = dpopProof(client, { htm: 'GET', htu: ME, token });
    expect((await fx.call({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: proof } })).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'dpop_not_enabled' });
  });
});
