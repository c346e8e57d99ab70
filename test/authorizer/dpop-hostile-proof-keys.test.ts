/**
 * Proof keys (the `jwk` a DPoP proof carries) that WebCrypto refuses to import, against the shipped
 * bundle. The proof is checked before the access token, so anyone can send one: each must be a
 * plain 401 `invalid_dpop_proof` at WARN, never an `internal_error` at ERROR, which the
 * AuthorizerErrors alarm counts (an anonymous caller must not be able to page the on-call).
 */
import { generateKeyPairSync } from 'crypto';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl } from '../support/api-gateway';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';

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
