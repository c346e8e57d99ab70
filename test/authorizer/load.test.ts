/**
 * Load on one instance of the shipped bundle: 10 000 decisions at concurrency 50, mixing every
 * outcome, each checked against the status it must get; memory measured after a full GC before and
 * after. Whatever the instance keeps between requests (key set, imported keys, any verified-token
 * cache) must be bounded whatever the token mix, and must never change a decision.
 *
 * Bounds (generous for slow CI machines): all 10 000 correct; under 45 s in total; heap after GC
 * grows by less than 16 MiB; no JWKS fetch beyond the cold-start one.
 */
import { AuthorizerFixture, isRefusal } from '../support/fixture';
import { generateSigningKey, jwksOf, nowSeconds, type Claims } from '../support/tokens';

jest.setTimeout(90_000);

const TOTAL = 10_000;
const CONCURRENCY = 50;
const MIB = 1024 * 1024;

test(`${TOTAL} decisions at concurrency ${CONCURRENCY} on one instance are all correct, with bounded memory`, async () => {
  const f = await AuthorizerFixture.start({}, { exposeGc: true, invokeTimeoutMs: 30_000 });
  try {
    const stranger = generateSigningKey('RS256', f.minter.key.kid);
    const now = nowSeconds();
    const kinds: { route: { method: string; resource: string }; claims: Claims; forge?: boolean; status: number }[] = [
      { route: { method: 'GET', resource: '/colors' }, claims: { scope: 'read:colors' }, status: 200 },
      { route: { method: 'POST', resource: '/colors' }, claims: { scope: 'read:colors write:colors' }, status: 200 },
      { route: { method: 'GET', resource: '/items/{id}' }, claims: { permissions: ['read:items'] }, status: 200 },
      { route: { method: 'DELETE', resource: '/admin/{proxy+}' }, claims: { scope: 'admin' }, status: 200 },
      { route: { method: 'GET', resource: '/me' }, claims: {}, status: 200 },
      { route: { method: 'POST', resource: '/colors' }, claims: { scope: 'read:colors' }, status: 403 },
      { route: { method: 'GET', resource: '/items/{id}' }, claims: { scope: 'read:colors' }, status: 403 },
      { route: { method: 'GET', resource: '/colors' }, claims: { scope: 'read:colors', exp: now - 60 }, status: 401 },
      { route: { method: 'GET', resource: '/colors' }, claims: { scope: 'read:colors', aud: 'https://other.example.com' }, status: 401 },
      { route: { method: 'GET', resource: '/colors' }, claims: { scope: 'read:colors' }, forge: true, status: 401 },
    ];
    // 500 distinct tokens (50 per kind, distinct sub), each used 20 times.
    const pool = Array.from({ length: 500 }, (_, i) => {
      const kind = kinds[i % kinds.length];
      const claims = { sub: `auth0|load-${i}`, ...kind.claims };
      const token = kind.forge ? f.minter.accessToken(claims, { key: stranger }) : f.minter.accessToken(claims);
      return { ...kind, token };
    });
    for (const p of pool.slice(0, kinds.length)) {
      const { status } = await f.call({ ...p.route, token: p.token });
      expect({ kind: p.route, status }).toEqual({ kind: p.route, status: p.status });
    }
    f.authorizer.clearOutput();
    const before = await f.authorizer.memoryUsage();

    const wrong: string[] = [];
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const i = next++;
        const p = pool[(i * 7) % pool.length];
        const { status } = await f.call({ ...p.route, token: p.token });
        if (status !== p.status) wrong.push(`#${i} ${p.route.method} ${p.route.resource}: ${status}, expected ${p.status}`);
      }
    }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await f.authorizer.memoryUsage();

    expect(wrong).toEqual([]);
    expect(seconds).toBeLessThan(45);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(16 * MIB);
    expect(f.jwks.requestCount).toBe(1);
    // One refusal line per refused decision: 50% of the pool is refused (2 kinds 403, 3 kinds 401).
    expect(f.authorizer.logLines().filter(isRefusal)).toHaveLength(TOTAL / 2);
    for (const p of pool) expect(f.authorizer.output).not.toContain(p.token.split('.')[2]);
    if (process.env.AUTHORIZER_REPORT) {
      process.stderr.write(`load: ${TOTAL} decisions in ${seconds.toFixed(2)} s (${(TOTAL / seconds).toFixed(0)}/s); heapUsed ${(before.heapUsed / MIB).toFixed(1)} -> ${(after.heapUsed / MIB).toFixed(1)} MiB; rss ${(before.rss / MIB).toFixed(1)} -> ${(after.rss / MIB).toFixed(1)} MiB\n`);
    }
  } finally {
    await f.stop();
  }
});

/**
 * The instance's verified-token cache (when there is one) must never change a decision: an entry
 * dies at the token's `exp`, and a key the issuer withdraws stops being honoured as soon as jose
 * would stop honouring it (when the cached key set ages out and is fetched again).
 */
describe('no in-process state changes a decision', () => {
  test('a token seen before is refused once it expires (clock tolerance 0)', async () => {
    const f = await AuthorizerFixture.start({ clockToleranceSeconds: 0 });
    try {
      const exp = nowSeconds() + 2;
      const token = f.minter.accessToken({ scope: 'read:colors', exp });
      for (let i = 0; i < 3; i++) expect((await f.call({ method: 'GET', resource: '/colors', token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 + 1_100 - Date.now())));
      expect((await f.call({ method: 'GET', resource: '/colors', token })).status).toBe(401);
      expect(f.lastRefusal()).toMatchObject({ reason: 'expired', sub: 'auth0|user-1' });
    } finally {
      await f.stop();
    }
  });

  test('a token seen before is refused once its key is withdrawn and the key set ages out (cache age 1.5 s)', async () => {
    const f = await AuthorizerFixture.start({ jwksCacheMaxAgeMs: 1_500, jwksCooldownMs: 1_000 });
    const coldStartAt = Date.now();
    try {
      const token = f.minter.accessToken({ scope: 'read:colors' });
      // Seen shortly before the key set ages out, so a cache entry keyed on "now + cache age" would outlive it.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await f.call({ method: 'GET', resource: '/colors', token })).status).toBe(200);
      f.jwks.jwks = jwksOf(generateSigningKey('RS256', 'successor'));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, coldStartAt + 1_800 - Date.now())));
      expect((await f.call({ method: 'GET', resource: '/colors', token })).status).toBe(401);
      expect(f.lastRefusal()).toMatchObject({ reason: 'unknown_kid' });
      expect(f.jwks.requestCount).toBe(2);
    } finally {
      await f.stop();
    }
  });

  test('distinct tokens with 9 KB of claims each do not accumulate: 1 500 of them grow the heap by less than 8 MiB', async () => {
    const f = await AuthorizerFixture.start({}, { exposeGc: true, invokeTimeoutMs: 30_000 });
    try {
      const pad = 'p'.repeat(9 * 1024);
      const before = await f.authorizer.memoryUsage();
      for (let i = 0; i < 1_500; i += 50) {
        const batch = Array.from({ length: 50 }, (_, j) => f.minter.accessToken({ sub: `auth0|big-${i + j}`, scope: 'read:colors', pad }));
        const calls = await Promise.all(batch.map((token) => f.call({ method: 'GET', resource: '/colors', token })));
        expect(calls.every((c) => c.status === 200)).toBe(true);
      }
      const after = await f.authorizer.memoryUsage();
      expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * MIB);
    } finally {
      await f.stop();
    }
  });
});
