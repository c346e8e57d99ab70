/**
 * An issuer that answers 200 with a key set holding no key the authorizer can use (empty, `{}`,
 * keys only for algorithms outside the allow-list, keys not for signatures, private or weak keys)
 * is as broken as one that is down: the last good key set keeps verifying within the stale bound,
 * each such refresh writes the ERROR line the AuthorizerErrors alarm counts (`jwks_fetch_failed`),
 * and past the bound tokens get 401 `jwks_unavailable` at ERROR, never a 500. A key set that drops
 * one key and keeps another is a rotation, not a failure. Against the shipped bundle, with a JWKS
 * served over loopback. Small timings stand in for the real ones (10 min, 10 s, 12 h).
 */
import { requestEvent, statusFor } from '../support/api-gateway';
import { TEST_AUDIENCE, testConfig } from '../support/authorizer-config';
import { AuthorizerProcess } from '../support/authorizer-process';
import { AuthorizerFixture, isRefusal } from '../support/fixture';
import { JwksServer } from '../support/jwks-server';
import { generateSigningKey, jwksOf, TokenMinter, type Jwks, type SigningKey } from '../support/tokens';

jest.setTimeout(30_000);

const CACHE_AGE_MS = 300;
const COOLDOWN_MS = 100;
const STALE_BOUND_MS = 1_500;
const timings = { jwksCacheMaxAgeMs: CACHE_AGE_MS, jwksCooldownMs: COOLDOWN_MS, jwksStaleMaxAgeMs: STALE_BOUND_MS, jwksTimeoutMs: 500 };
const colors = { method: 'GET', resource: '/colors' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Key sets with no key an RS256-only authorizer can verify a token with, given the issuer's key. */
const unusable: Record<string, (issuerKey: SigningKey) => Jwks> = {
  'no keys at all ({"keys":[]})': () => ({ keys: [] }),
  'one empty object ({"keys":[{}]})': () => ({ keys: [{}] }) as unknown as Jwks,
  'only an EC key (ES256, outside the RS256 allow-list)': () => jwksOf(generateSigningKey('ES256', 'ec-only')),
  'only an HMAC secret (kty oct)': () => ({ keys: [{ kty: 'oct', kid: 'hmac', k: Buffer.from('secret-secret-secret').toString('base64url'), alg: 'HS256' }] }),
  'the issuer key marked for encryption (use: enc)': (key) => ({ keys: [{ ...key.jwk, use: 'enc' }] }),
  'the issuer key named for PS256 (alg outside the allow-list)': (key) => ({ keys: [{ ...key.jwk, alg: 'PS256' }] }),
  'the issuer key without a kid (tokens must name one)': (key) => ({ keys: [{ ...key.jwk, kid: undefined }] }) as unknown as Jwks,
  'the issuer key without its modulus': (key) => ({ keys: [{ ...key.jwk, n: undefined }] }),
  'only a 1024-bit RSA key': () => jwksOf(generateSigningKey('RS256', 'weak', 1024)),
  'the issuer key and another under the same kid (ambiguous)': (key) => ({ keys: [key.jwk, { ...generateSigningKey('RS256').jwk, kid: key.kid }] }),
  'the issuer key with its private members (the issuer leaked it)': (key) => ({ keys: [{ ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' }] }),
};

describe.each(Object.entries(unusable))('after cold start the issuer answers 200 with %s', (_name, keySetFor) => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start(timings);
  });
  afterAll(async () => {
    await f?.stop();
  });

  test('valid tokens keep passing with the last good keys, and each such refresh writes the ERROR line the alarm counts', async () => {
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);

    // GIVEN the issuer now answers 200 with that key set
    f.jwks.reset(keySetFor(f.minter.key));
    f.authorizer.clearOutput();
    // WHEN new tokens arrive past the cache age, and again after the cooldown
    const statuses: number[] = [];
    for (const wait of [CACHE_AGE_MS + 50, 2 * COOLDOWN_MS + 50]) {
      await sleep(wait);
      statuses.push((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status);
    }
    // THEN both passed, the issuer was asked again, and each answer was logged as a failed refresh
    expect(statuses).toEqual([200, 200]);
    expect(f.authorizer.logLines().filter(isRefusal)).toEqual([]);
    expect(f.jwks.requestCount).toBeGreaterThanOrEqual(2);
    const failed = f.authorizer.logLines().filter((line) => line.reason === 'jwks_fetch_failed');
    expect(failed).toHaveLength(f.jwks.requestCount);
    for (const line of failed) {
      expect(line).toMatchObject({ level: 'ERROR', keySetAgeMs: expect.any(Number), staleKeysUsableForMs: expect.any(Number) });
    }
  });
});

test('past the stale bound, with the issuer still answering {"keys":[]}: 401 jwks_unavailable at ERROR, never 500; tokens pass again once it publishes its key', async () => {
  const f = await AuthorizerFixture.start(timings);
  try {
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
    f.jwks.reset({ keys: [] });
    await sleep(STALE_BOUND_MS + 200);
    f.authorizer.clearOutput();
    const { status, outcome } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
    expect({ status, outcome }).toEqual({ status: 401, outcome: { error: 'Unauthorized', errorType: 'Error' } });
    expect(f.lastRefusal()).toMatchObject({ level: 'ERROR', reason: 'jwks_unavailable', status: 401 });

    f.jwks.reset(jwksOf(f.minter.key));
    let passed = false;
    for (const started = Date.now(); !passed && Date.now() - started < 8 * COOLDOWN_MS + 1_000; await sleep(50)) {
      passed = (await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status === 200;
    }
    expect(passed).toBe(true);
  } finally {
    await f.stop();
  }
});

test('a key set of 1 MiB of keys none of which is usable (26 000 HMAC keys, distinct kids) is judged quickly: valid tokens pass with the last good keys within 1.5 s', async () => {
  const f = await AuthorizerFixture.start(timings, { invokeTimeoutMs: 10_000 });
  try {
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
    const keys: Jwks['keys'] = [];
    for (let i = 0, size = 0; size < 1024 * 1024 - 200; i++) {
      const key = { kty: 'oct', kid: `hmac-${i}`, k: 'AAAA' };
      keys.push(key);
      size += JSON.stringify(key).length + 1;
    }
    f.jwks.reset({ keys });
    f.authorizer.clearOutput();
    await sleep(CACHE_AGE_MS + 50);
    const started = Date.now();
    const { status } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
    const ms = Date.now() - started;
    expect(status).toBe(200);
    expect(ms).toBeLessThan(1_500);
    expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'jwks_fetch_failed' }));
  } finally {
    await f.stop();
  }
});

test('a rotation that drops one key and keeps another: tokens of the kept key pass, of the dropped key get 401 unknown_kid at WARN, no failed refresh', async () => {
  const f = await AuthorizerFixture.start(timings);
  try {
    const retiring = generateSigningKey('RS256', 'retiring');
    f.jwks.reset(jwksOf(f.minter.key, retiring));
    await sleep(CACHE_AGE_MS + 50);
    // The two-key set is in use.
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: retiring }) })).status).toBe(200);

    // GIVEN the issuer drops the retiring key
    f.jwks.reset(jwksOf(f.minter.key));
    await sleep(CACHE_AGE_MS + 50);
    f.authorizer.clearOutput();
    // THEN the kept key's tokens pass and the dropped key's are refused as unknown, the caller's fault
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: retiring }) })).status).toBe(401);
    expect(f.lastRefusal()).toMatchObject({ level: 'WARN', reason: 'unknown_kid', status: 401 });
    expect(f.authorizer.logLines().filter((line) => line.reason === 'jwks_fetch_failed')).toEqual([]);
  } finally {
    await f.stop();
  }
});

test('the first fetch ever (cold start) answers {"keys":[]}: 401 jwks_unavailable at ERROR, never 500, and an ERROR line for the fetch; tokens pass once the issuer publishes its key', async () => {
  const key = generateSigningKey();
  const jwks = await JwksServer.start({ keys: [] });
  const authorizer = await AuthorizerProcess.start(testConfig(jwks, timings), { invokeTimeoutMs: 10_000 });
  try {
    expect(authorizer.initError).toBeUndefined();
    const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
    const event = () => requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) });
    // Once during the cooldown after the cold-start fetch, once after it (a fresh fetch that fails too).
    for (const wait of [0, COOLDOWN_MS + 50]) {
      await sleep(wait);
      authorizer.clearOutput();
      const e = event();
      const outcome = await authorizer.invoke(e);
      expect({ status: statusFor(outcome, e.methodArn), outcome }).toEqual({ status: 401, outcome: { error: 'Unauthorized', errorType: 'Error' } });
      expect(authorizer.logLines().filter(isRefusal)).toEqual([expect.objectContaining({ level: 'ERROR', reason: 'jwks_unavailable', status: 401 })]);
    }
    expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'jwks_fetch_failed' }));

    jwks.reset(jwksOf(key));
    await sleep(8 * COOLDOWN_MS + 100);
    const e = event();
    expect(statusFor(await authorizer.invoke(e), e.methodArn)).toBe(200);
  } finally {
    await authorizer.stop();
    await jwks.close();
  }
});
