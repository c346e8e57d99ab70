/**
 * The issuer's JWKS endpoint failing in every way we know, with the construct's production
 * timings (2 s fetch timeout, 10 s cooldown): each failure is a 401 within a stated bound, the
 * instance survives with bounded memory, and valid tokens pass again once the issuer recovers,
 * without a redeploy. Also key rotation on first sight, floods of unknown kids and a cold
 * instance's first burst, counted in JWKS requests.
 *
 * Bounds (generous for slow CI machines; measured values are in CONTRIBUTING.md, "The authorizer's limits, and how they are tested"):
 * - a refusal caused by the JWKS arrives within JWKS_TIMEOUT_MS + 1 500 ms (3.5 s, Lambda timeout 10 s);
 * - after 30 failed fetches of multi-megabyte bodies, the instance's heap (after a full GC) grew by
 *   less than 16 MiB and its RSS by less than 128 MiB.
 */
import { requestEvent, statusFor } from '../support/api-gateway';
import { TEST_AUDIENCE, testConfig } from '../support/authorizer-config';
import { AuthorizerProcess } from '../support/authorizer-process';
import { AuthorizerFixture } from '../support/fixture';
import { JwksServer } from '../support/jwks-server';
import { generateSigningKey, jwksOf, TokenMinter } from '../support/tokens';

jest.setTimeout(60_000);

/** The construct's defaults (see README "Defaults"). */
const JWKS_TIMEOUT_MS = 2_000;
const JWKS_COOLDOWN_MS = 10_000;
const REFUSAL_BOUND_MS = JWKS_TIMEOUT_MS + 1_500;
const MIB = 1024 * 1024;

const colors = { method: 'GET', resource: '/colors' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

describe('a JWKS endpoint that fails after cold start (cache expired and no stale use, so every request fetches)', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    const timings = { jwksTimeoutMs: JWKS_TIMEOUT_MS, jwksCooldownMs: 0, jwksCacheMaxAgeMs: 0, jwksStaleMaxAgeMs: 0 };
    f = await AuthorizerFixture.start(timings, { exposeGc: true, invokeTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await f?.stop();
  });
  beforeEach(() => {
    f.jwks.reset();
    f.authorizer.clearOutput();
  });

  const bigKeySet = () => JSON.stringify({ keys: [{ ...f.jwks.jwks.keys[0], pad: 'x'.repeat(8 * MIB) }] });
  // An empty key set has no usable key: a failed fetch like the others (unusable-key-set.test.ts has the variants).
  const failures: [string, () => void, string][] = [
    ['slower than the fetch timeout (answers after 5 s)', () => { f.jwks.delayMs = 5_000; }, 'jwks_unavailable'],
    ['answering 500', () => { f.jwks.status = 500; }, 'jwks_unavailable'],
    ['answering invalid JSON', () => { f.jwks.body = '{"keys": [ {"kty": "RSA", '; }, 'jwks_unavailable'],
    ['answering an empty key set', () => { f.jwks.body = '{"keys":[]}'; }, 'jwks_unavailable'],
    ['answering 8 MiB with content-length', () => { f.jwks.body = bigKeySet(); }, 'jwks_unavailable'],
    ['answering 8 MiB chunked, without content-length', () => { f.jwks.body = bigKeySet(); f.jwks.chunked = true; }, 'jwks_unavailable'],
  ];

  test.each(failures)('%s: 401 within the bound, the instance survives, and recovers without a redeploy', async (_name, fail, reason) => {
    const token = f.minter.accessToken({ scope: 'read:colors' });
    fail();
    const started = process.hrtime.bigint();
    const { status, outcome } = await f.call({ ...colors, token });
    const ms = elapsedMs(started);
    expect(status).toBe(401);
    expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
    expect(f.lastRefusal()).toMatchObject({ reason, route: 'GET /colors', status: 401 });
    expect(f.authorizer.alive).toBe(true);
    f.jwks.reset();
    expect((await f.call({ ...colors, token })).status).toBe(200);
  });

  test('memory stays bounded over 30 failed fetches of 8 MiB bodies (heap +16 MiB, RSS +128 MiB at most)', async () => {
    const token = f.minter.accessToken({ scope: 'read:colors' });
    const before = await f.authorizer.memoryUsage();
    f.jwks.body = bigKeySet();
    for (let i = 0; i < 30; i++) {
      f.jwks.chunked = i % 2 === 0;
      expect((await f.call({ ...colors, token })).status).toBe(401);
    }
    const after = await f.authorizer.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(16 * MIB);
    expect(after.rss - before.rss).toBeLessThan(128 * MIB);
    f.jwks.reset();
    expect((await f.call({ ...colors, token })).status).toBe(200);
  });
});

test('an unreachable JWKS endpoint (nothing listening): 401 within the bound; valid tokens pass once it listens again, after the cooldown', async () => {
  const key = generateSigningKey();
  const first = await JwksServer.start(jwksOf(key));
  const port = first.port;
  const cooldown = 500;
  const config = testConfig(first, { jwksTimeoutMs: JWKS_TIMEOUT_MS, jwksCooldownMs: cooldown, jwksCacheMaxAgeMs: 600_000 });
  await first.close();
  // Cold start with the issuer unreachable: the module loads anyway.
  const authorizer = await AuthorizerProcess.start(config, { invokeTimeoutMs: 10_000 });
  let again: JwksServer | undefined;
  try {
    expect(authorizer.initError).toBeUndefined();
    const minter = new TokenMinter(config.issuer, TEST_AUDIENCE, key);
    const event = requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) });
    const started = process.hrtime.bigint();
    expect(statusFor(await authorizer.invoke(event), event.methodArn)).toBe(401);
    expect(elapsedMs(started)).toBeLessThan(REFUSAL_BOUND_MS);
    expect(authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'jwks_unavailable', route: 'GET /colors' }));
    again = await JwksServer.start(jwksOf(key), port);
    // The failed warm-up fetch starts a cooldown: the issuer is asked again only after it.
    await sleep(cooldown + 100);
    expect(statusFor(await authorizer.invoke(event), event.methodArn)).toBe(200);
    expect(again.requestCount).toBe(1);
  } finally {
    await authorizer.stop();
    await again?.close();
  }
});

test('key rotation: a newly published key passes on first sight 10 s after the last fetch; random-kid floods fetch at most once per 10 s cooldown', async () => {
  const f = await AuthorizerFixture.start({ jwksTimeoutMs: JWKS_TIMEOUT_MS, jwksCooldownMs: JWKS_COOLDOWN_MS, jwksCacheMaxAgeMs: 600_000 });
  const coldStartAt = Date.now();
  try {
    expect(f.jwks.requestCount).toBe(1);
    const flood = async (n: number) => {
      const strangers = Array.from({ length: 5 }, (_, i) => generateSigningKey('RS256', `x-${i}`));
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 25) {
        const batch = Array.from({ length: Math.min(25, n - i) }, (_, j) => {
          const key = strangers[(i + j) % strangers.length];
          return f.minter.accessToken({ scope: 'read:colors' }, { key, header: { kid: `random-${Math.random().toString(36).slice(2)}` } });
        });
        statuses.push(...(await Promise.all(batch.map((token) => f.call({ ...colors, token })))).map((c) => c.status));
      }
      expect(new Set(statuses)).toEqual(new Set([401]));
    };
    // Within the cooldown after cold start: 200 random kids, no fetch.
    await flood(200);
    expect(f.jwks.requestCount).toBe(1);
    // The issuer rotates; once 10 s have passed since the last fetch, the new key works on first sight.
    const rotated = generateSigningKey('RS256', 'rotated-2025');
    f.jwks.jwks = jwksOf(f.minter.key, rotated);
    await sleep(Math.max(0, coldStartAt + JWKS_COOLDOWN_MS + 200 - Date.now()));
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: rotated }) })).status).toBe(200);
    expect(f.jwks.requestCount).toBe(2);
    // A new cooldown started with that fetch: another flood fetches nothing.
    await flood(200);
    expect(f.jwks.requestCount).toBe(2);
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
  } finally {
    await f.stop();
  }
});

test('a steady random-kid flood over 3.5 s with a 1 s cooldown fetches at most once per cooldown window', async () => {
  const cooldown = 1_000;
  const f = await AuthorizerFixture.start({ jwksCooldownMs: cooldown });
  try {
    const stranger = generateSigningKey('RS256', 'stranger');
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 3_500) {
      const batch = Array.from({ length: 10 }, () => f.minter.accessToken({}, { key: stranger, header: { kid: `r-${Math.random().toString(36).slice(2)}` } }));
      const calls = await Promise.all(batch.map((token) => f.call({ ...colors, token })));
      expect(calls.every((c) => c.status === 401)).toBe(true);
      sent += batch.length;
    }
    const windows = Math.ceil((Date.now() - started) / cooldown);
    // The cold-start fetch plus at most one per elapsed cooldown window.
    expect(sent).toBeGreaterThan(100);
    expect(f.jwks.requestCount).toBeLessThanOrEqual(1 + windows);
  } finally {
    await f.stop();
  }
});

describe('100 concurrent first requests on a cold instance', () => {
  test('after a successful warm-up: no fetch beyond the cold-start one, all allowed', async () => {
    const f = await AuthorizerFixture.start({ jwksTimeoutMs: JWKS_TIMEOUT_MS, jwksCooldownMs: JWKS_COOLDOWN_MS });
    try {
      const token = f.minter.accessToken({ scope: 'read:colors' });
      const calls = await Promise.all(Array.from({ length: 100 }, () => f.call({ ...colors, token })));
      expect(calls.filter((c) => c.status === 200)).toHaveLength(100);
      expect(f.jwks.requestCount).toBe(1);
    } finally {
      await f.stop();
    }
  });

  test('after a failed warm-up (issuer down at cold start, back but slow): one shared fetch, all allowed', async () => {
    const key = generateSigningKey();
    const jwks = await JwksServer.start(jwksOf(key));
    jwks.status = 503;
    const cooldown = 500;
    const config = testConfig(jwks, { jwksTimeoutMs: JWKS_TIMEOUT_MS, jwksCooldownMs: cooldown });
    const authorizer = await AuthorizerProcess.start(config, { invokeTimeoutMs: 10_000 });
    try {
      expect(jwks.requestCount).toBe(1);
      jwks.reset();
      jwks.delayMs = 300;
      // The failed warm-up fetch starts a cooldown: the issuer is asked again only after it.
      await sleep(cooldown + 100);
      const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
      const events = Array.from({ length: 100 }, () => requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) }));
      const outcomes = await Promise.all(events.map((event) => authorizer.invoke(event)));
      expect(outcomes.map((o, i) => statusFor(o, events[i].methodArn)).filter((s) => s === 200)).toHaveLength(100);
      expect(jwks.requestCount).toBe(1);
    } finally {
      await authorizer.stop();
      await jwks.close();
    }
  });
});
