/**
 * What the module does at cold start and when the issuer's JWKS misbehaves: a malformed
 * configuration refuses everything, a JWKS that is down, slow, redirecting, oversized or not a key
 * set refuses tokens with 401 (never a 500), and an unknown kid refetches at most once per cooldown.
 */
import { requestEvent, statusFor } from '../support/api-gateway';
import { TEST_AUDIENCE, testConfig } from '../support/authorizer-config';
import { AuthorizerProcess } from '../support/authorizer-process';
import { AuthorizerFixture } from '../support/fixture';
import { JwksServer } from '../support/jwks-server';
import { generateSigningKey, jwksOf, TokenMinter } from '../support/tokens';

jest.setTimeout(20_000);

const colors = { method: 'GET', resource: '/colors' } as const;

describe('a malformed config.json', () => {
  let jwks: JwksServer;
  const key = generateSigningKey();
  beforeAll(async () => {
    jwks = await JwksServer.start(jwksOf(key));
  });
  afterAll(async () => {
    await jwks?.close();
  });

  const valid = () => JSON.stringify(testConfig(jwks));
  const cases: [string, () => string][] = [
    ['not JSON', () => '{ not json'],
    ['an empty file', () => ''],
    ['the wrong version', () => JSON.stringify({ ...JSON.parse(valid()), version: 2 })],
    ['an http issuer that is not loopback', () => JSON.stringify({ ...JSON.parse(valid()), issuer: 'http://issuer.example.com/' })],
    ['the algorithm none', () => JSON.stringify({ ...JSON.parse(valid()), algorithms: ['none'] })],
    ['a route without scopes list', () => JSON.stringify({ ...JSON.parse(valid()), routes: [{ method: 'GET', path: '/colors', resourcePattern: 'GET/colors' }] })],
    ['no stale key bound', () => JSON.stringify({ ...JSON.parse(valid()), jwksStaleMaxAgeMs: undefined })],
    ['a stale key bound shorter than the cache age', () => JSON.stringify({ ...JSON.parse(valid()), jwksCacheMaxAgeMs: 600_000, jwksStaleMaxAgeMs: 599_999 })],
  ];

  test.each(cases)('with %s makes every invocation fail closed with Unauthorized, logged as an error', async (_name, text) => {
    const authorizer = await AuthorizerProcess.startWithRawConfig(text());
    try {
      const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
      for (const scope of ['read:colors', 'admin read:colors write:colors read:items']) {
        for (const resource of ['/colors', '/me']) {
          const outcome = await authorizer.invoke(requestEvent({ method: 'GET', resource, token: minter.accessToken({ scope }) }));
          expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
        }
      }
      expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'invalid_configuration' }));
    } finally {
      await authorizer.stop();
    }
  });

  test('that is missing makes every invocation fail closed with Unauthorized', async () => {
    const authorizer = await AuthorizerProcess.startWithRawConfig(undefined);
    try {
      const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
      const outcome = await authorizer.invoke(requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) }));
      expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
      expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'invalid_configuration' }));
    } finally {
      await authorizer.stop();
    }
  });
});

describe('JWKS at cold start', () => {
  test('the key set is fetched once during cold start, and not again for the first requests', async () => {
    const f = await AuthorizerFixture.start();
    try {
      expect(f.jwks.requestCount).toBe(1);
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(f.jwks.requestCount).toBe(1);
    } finally {
      await f.stop();
    }
  });

  test('an issuer that is down at cold start does not crash the module; requests recover once it is back, after the cooldown', async () => {
    const key = generateSigningKey();
    const jwks = await JwksServer.start(jwksOf(key));
    jwks.status = 503;
    const authorizer = await AuthorizerProcess.start(testConfig(jwks, { jwksCooldownMs: 300 }));
    try {
      expect(authorizer.initError).toBeUndefined();
      expect(jwks.requestCount).toBe(1);
      expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'jwks_fetch_failed' }));
      const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
      const event = requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) });
      const down = await authorizer.invoke(event);
      expect(statusFor(down, event.methodArn)).toBe(401);
      expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'jwks_unavailable' }));
      // Within the cooldown after the failed fetch, no request asks the issuer again.
      expect(jwks.requestCount).toBe(1);
      jwks.status = 200;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(statusFor(await authorizer.invoke(event), event.methodArn)).toBe(200);
      expect(jwks.requestCount).toBe(2);
    } finally {
      await authorizer.stop();
      await jwks.close();
    }
  });
});

describe('a misbehaving JWKS endpoint', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    // No cooldown, no cache and no stale use, so every request fetches the key set again and depends on it.
    f = await AuthorizerFixture.start({ jwksCooldownMs: 0, jwksCacheMaxAgeMs: 0, jwksStaleMaxAgeMs: 0, jwksTimeoutMs: 500 });
  });
  afterAll(async () => {
    await f?.stop();
  });
  beforeEach(() => {
    f.jwks.reset();
    f.authorizer.clearOutput();
  });

  /** `fetchFailed`: the fetch itself failed (not a key set that fetched but cannot be used), so it wrote its own ERROR line. */
  const refusedAsUnavailable = async (fetchFailed = true) => {
    const { status, outcome } = await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
    expect(status).toBe(401);
    expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
    expect(f.lastRefusal()).toMatchObject({ level: 'ERROR', reason: 'jwks_unavailable', status: 401 });
    if (fetchFailed) {
      expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ level: 'ERROR', reason: 'jwks_fetch_failed', consecutiveFailures: expect.any(Number) }));
    }
  };

  test('a 500 from the JWKS refuses the token (401)', async () => {
    f.jwks.status = 500;
    await refusedAsUnavailable();
  });

  test('a JWKS slower than the timeout refuses the token (401) within the timeout', async () => {
    f.jwks.delayMs = 3_000;
    const started = Date.now();
    await refusedAsUnavailable();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('a redirect is not followed (401)', async () => {
    // The redirect points at a server that would answer with the real keys: following it would pass.
    const elsewhere = await JwksServer.start(f.jwks.jwks);
    try {
      f.jwks.status = 302;
      f.jwks.headers = { location: elsewhere.jwksUri };
      const before = f.jwks.requestCount;
      await refusedAsUnavailable();
      expect(f.jwks.requestCount - before).toBe(1);
      expect(elsewhere.requestCount).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  test('a body larger than 1 MiB is refused (401)', async () => {
    f.jwks.body = JSON.stringify({ keys: [{ ...f.jwks.jwks.keys[0], pad: 'x'.repeat(1_100_000) }] });
    await refusedAsUnavailable();
  });

  test('a body that is not JSON is refused (401)', async () => {
    f.jwks.body = '<html>maintenance</html>';
    await refusedAsUnavailable();
  });

  test('a body that is not a key set is refused (401)', async () => {
    f.jwks.body = JSON.stringify({ keys: 'nope' });
    await refusedAsUnavailable();
  });

  test('a private key published in the JWKS is refused (401)', async () => {
    const jwk = { ...f.minter.key.privateKey.export({ format: 'jwk' }), kid: f.minter.key.kid, alg: 'RS256' };
    f.jwks.body = JSON.stringify({ keys: [jwk] });
    // jose refuses it when importing the key for this token, after the fetch itself succeeded.
    await refusedAsUnavailable(false);
  });
});

describe('key rotation and unknown kids', () => {
  test('within the cooldown unknown kids cause no refetch, a key published meanwhile is not yet seen, and the known key keeps working', async () => {
    const f = await AuthorizerFixture.start({ jwksCooldownMs: 60_000 });
    try {
      const rotated = generateSigningKey('RS256', 'rotated-key');
      const stranger = generateSigningKey('RS256', 'never-published');
      // Cold start fetched once; the cooldown runs from then, so an unknown kid does not refetch yet.
      f.jwks.jwks = jwksOf(f.minter.key, rotated);
      const before = f.jwks.requestCount;
      for (let i = 0; i < 5; i++) {
        expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: stranger }) })).status).toBe(401);
      }
      expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: rotated }) })).status).toBe(401);
      expect(f.jwks.requestCount - before).toBe(0);
      expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
    } finally {
      await f.stop();
    }
  });

  test('after the cooldown an unknown kid triggers one refetch, which finds a rotated key', async () => {
    const f = await AuthorizerFixture.start({ jwksCooldownMs: 200 });
    try {
      const rotated = generateSigningKey('RS256', 'rotated-key');
      f.jwks.jwks = jwksOf(f.minter.key, rotated);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = f.jwks.requestCount;
      const results = await Promise.all([1, 2, 3].map(() => f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: rotated }) })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(f.jwks.requestCount - before).toBe(1);
    } finally {
      await f.stop();
    }
  });
});
