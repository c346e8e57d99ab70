/**
 * An issuer outage does not become an outage of the API: while the JWKS cannot be fetched, the
 * last good key set keeps verifying (each failed fetch logged at ERROR, fetches spaced by a
 * growing backoff) until it reaches the stale bound; once the issuer is back, rotation works again.
 * Small timings stand in for the real ones (10 min cache age, 10 s cooldown, 12 h stale bound).
 */
import { isRefusal, AuthorizerFixture } from '../support/fixture';
import { generateSigningKey, jwksOf } from '../support/tokens';

jest.setTimeout(30_000);

const CACHE_AGE_MS = 300;
const COOLDOWN_MS = 200;
const STALE_BOUND_MS = 3_000;
const colors = { method: 'GET', resource: '/colors' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the issuer goes down after cold start', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({
      jwksCacheMaxAgeMs: CACHE_AGE_MS,
      jwksCooldownMs: COOLDOWN_MS,
      jwksStaleMaxAgeMs: STALE_BOUND_MS,
      jwksTimeoutMs: 300,
    });
  });
  afterAll(async () => {
    await f?.stop();
  });

  const allowed = async (token: string) => (await f.call({ ...colors, token })).status;

  test('valid tokens keep passing for longer than the cache age, each failed fetch is an ERROR line, fetches back off; rotation works once it is back; past the stale bound tokens are refused', async () => {
    const known = f.minter.accessToken({ scope: 'read:colors' });
    expect(await allowed(known)).toBe(200);
    expect(f.jwks.requestCount).toBe(1);

    // GIVEN the issuer answers 503 from now on
    f.jwks.status = 503;
    f.jwks.requestCount = 0;
    f.authorizer.clearOutput();
    const outageStarted = Date.now();

    // WHEN requests arrive for 1.5 s, five times the cache age, ten at a time
    const statuses: number[] = [];
    while (Date.now() - outageStarted < 1_500) {
      const batch = [known, ...Array.from({ length: 9 }, () => f.minter.accessToken({ scope: 'read:colors' }))];
      statuses.push(...(await Promise.all(batch.map(allowed))));
      await sleep(20);
    }

    // THEN every valid token passed with the last good key set
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(f.authorizer.logLines().filter(isRefusal)).toEqual([]);
    // and the issuer was asked again, but with backoff: after 200, 400 and 800 ms (at most 4 fetches
    // in 1.5 s; once per request would be hundreds, once per cooldown up to 8)
    const attempts = f.jwks.requestCount;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(4);
    // and each failed fetch wrote exactly one ERROR line saying the stale key set is still in use
    const failed = f.authorizer.logLines().filter((line) => line.reason === 'jwks_fetch_failed');
    expect(failed).toHaveLength(attempts);
    for (const line of failed) {
      expect(line).toMatchObject({ level: 'ERROR', keySetAgeMs: expect.any(Number), staleKeysUsableForMs: expect.any(Number) });
    }
    expect(failed.map((line) => line.consecutiveFailures)).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));

    // GIVEN the issuer is back, having rotated its key meanwhile
    const rotated = generateSigningKey('RS256', 'rotated-key');
    f.jwks.reset(jwksOf(rotated));
    // WHEN a token signed with the new key arrives, until the backoff lets a fetch through
    const newToken = f.minter.accessToken({ scope: 'read:colors' }, { key: rotated });
    let passedAfterMs: number | undefined;
    const back = Date.now();
    while (passedAfterMs === undefined && Date.now() - back < 3_000) {
      if (await allowed(newToken) === 200) passedAfterMs = Date.now() - back;
      else await sleep(50);
    }
    // THEN it passes within the longest backoff (8 cooldowns), after one fetch
    expect(passedAfterMs).toBeDefined();
    expect(passedAfterMs!).toBeLessThanOrEqual(8 * COOLDOWN_MS + 500);
    expect(f.jwks.requestCount).toBe(1);
    // and the withdrawn key no longer verifies, not even for the token verified with it before
    expect((await f.call({ ...colors, token: known })).status).toBe(401);
    expect(f.lastRefusal()).toMatchObject({ level: 'WARN', reason: 'unknown_kid' });
    const lastGoodFetch = Date.now();

    // GIVEN the issuer goes down again, for longer than the stale bound
    f.jwks.status = 503;
    f.authorizer.clearOutput();
    expect(await allowed(newToken)).toBe(200);
    await sleep(STALE_BOUND_MS - (Date.now() - lastGoodFetch) + 300);
    // THEN valid tokens are refused as jwks_unavailable, the repeated one too (no cached verification outlives the bound)
    for (const token of [newToken, f.minter.accessToken({ scope: 'read:colors' }, { key: rotated })]) {
      expect((await f.call({ ...colors, token })).status).toBe(401);
      expect(f.lastRefusal()).toMatchObject({ level: 'ERROR', reason: 'jwks_unavailable', status: 401 });
    }
  });
});
