/**
 * Proof keys (the `jwk` a DPoP proof carries) that WebCrypto refuses to import, against the shipped
 * bundle. The proof is checked before the access token, so anyone can send one: each must be a
 * plain 401 `invalid_dpop_proof` at WARN, never an `internal_error` at ERROR, which the
 * AuthorizerErrors alarm counts (an anonymous caller must not be able to page the on-call).
 */
import { generateKeyPairSync, randomUUID, sign } from 'crypto';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl } from '../support/api-gateway';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';
import { base64url, nowSeconds } from '../support/tokens';

const ME = executeApiUrl('/me');

describe('DPoP proof keys WebCrypto cannot import', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ dpop: dpopConfigOf(DpopMode.REQUIRED) });
  });
  afterAll(async () => fx?.stop());
  beforeEach(() => fx.authorizer.clearOutput());

  const client = generateDpopKey('ES256');
  const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });

  test.each<[string, Record<string, unknown>]>([
    ['key_ops that exclude verify', { jwk: { ...client.jwk, key_ops: ['encrypt'] } }],
    ['an EC point of the wrong length', { jwk: { ...client.jwk, x: 'AAAA' } }],
    ['crv P-384 with ES256', { jwk: { ...client.jwk, crv: 'P-384' } }],
    ['an X25519 (key agreement) key with EdDSA', { alg: 'EdDSA', jwk: x25519 }],
  ])('%s: 401 invalid_dpop_proof at WARN, nothing for the alarm', async (_name, header) => {
    const token = fx.minter.accessToken({ cnf: { jkt: client.jkt } });
    const proof = dpopProof(client, { htm: 'GET', htu: ME, token, header });
    const { status } = await fx.call({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: proof } });
    expect(status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_dpop_proof', level: 'WARN', detail: expect.stringMatching(/jwk/) });
    expect(fx.authorizer.logLines().filter((line) => line.level === 'ERROR')).toEqual([]);
  });
});

describe('DPoP proof RSA keys with a huge public exponent', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ dpop: dpopConfigOf(DpopMode.REQUIRED) });
  });
  afterAll(async () => fx?.stop());

  // A verification costs about as much as the exponent is long: a 3,040-bit `e` with a 3,072-bit
  // modulus made each anonymous request cost 15-20 ms of CPU instead of 3-5 ms (measured through the
  // bundle). Real keys use 65537 (WebCrypto offers only 3 and 65537), so such a key is refused unread.
  test('a 3072-bit RSA jwk whose e is 380 bytes long: 401 invalid_dpop_proof before its signature is checked', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const e = Buffer.alloc(380, 0xff);
    e[0] = 0x7f;
    const jwk = { ...publicKey.export({ format: 'jwk' }), e: e.toString('base64url') };
    const token = fx.minter.accessToken({ cnf: { jkt: 'not-checked-this-far' } });
    const header = base64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'RS256', jwk }));
    const claims = base64url(JSON.stringify({ jti: randomUUID(), htm: 'GET', htu: ME, iat: nowSeconds(), ath: 'x' }));
    const proof = `${header}.${claims}.${base64url(sign('sha256', Buffer.from(`${header}.${claims}`), privateKey))}`;
    const { status } = await fx.call({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: proof } });
    expect(status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_dpop_proof', level: 'WARN', detail: expect.stringMatching(/exponent/) });
  });
});
