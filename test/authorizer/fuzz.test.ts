/**
 * Property tests (fast-check) against the shipped bundle: whatever arrives in the Authorization
 * header, the answer is 401 (exactly `Unauthorized`) or the decision the unmodified token gets,
 * never a 500, and no token reaches the log. Runs are fixed in number; fast-check prints the seed
 * and the shrunk counterexample on failure.
 */
import fc from 'fast-check';
import { AuthorizerFixture, isRefusal } from '../support/fixture';
import { base64url } from '../support/tokens';

jest.setTimeout(60_000);

let f: AuthorizerFixture;
beforeAll(async () => {
  f = await AuthorizerFixture.start();
});
afterAll(async () => {
  await f?.stop();
});

const RUNS = 400;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Calls the authorizer and checks the invariants every answer must meet; returns the status. */
async function answer(route: { method: string; resource: string }, authorization: string): Promise<number> {
  f.authorizer.clearOutput();
  const { status, outcome } = await f.call({ ...route, authorization });
  if ('error' in outcome) expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
  expect([200, 401, 403]).toContain(status);
  // Exactly one refusal line per refused request, none for an allowed one.
  expect(f.authorizer.logLines().filter(isRefusal)).toHaveLength(status === 200 ? 0 : 1);
  const token = authorization.replace(/^\s*bearer\s+/i, '');
  for (const part of [token, ...token.split('.')].filter((p) => p.length >= 16)) expect(f.authorizer.output).not.toContain(part);
  return status;
}

/** Whether two compact tokens are the same JWS: same signing input, same signature bytes. */
function sameJws(a: string, b: string): boolean {
  const [ah, ap, as] = a.split('.');
  const parts = b.split('.');
  if (parts.length !== 3 || parts[0] !== ah || parts[1] !== ap || !/^[A-Za-z0-9_-]*$/.test(parts[2])) return false;
  return Buffer.from(parts[2], 'base64url').equals(Buffer.from(as, 'base64url'));
}

const colors = { method: 'GET', resource: '/colors' };
const routes = fc.constantFrom(colors, { method: 'POST', resource: '/colors' }, { method: 'GET', resource: '/me' }, { method: 'DELETE', resource: '/admin/{proxy+}' });

test('arbitrary header values (any unicode, any length up to 20 000) get 401', async () => {
  const values = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ maxLength: 20_000 }),
    fc.string({ maxLength: 300 }).map((s) => `Bearer ${s}`),
    fc.array(fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 200 }), { minLength: 1, maxLength: 6 }).map((segments) => `Bearer ${segments.join('.')}`),
  );
  await fc.assert(fc.asyncProperty(routes, values, async (route, value) => {
    expect(await answer(route, value)).toBe(401);
  }), { numRuns: RUNS });
});

test('arbitrary JSON as header and payload, with any signature, gets 401', async () => {
  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ alg: fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256', 'RS384', ''), kid: fc.oneof(fc.constant(f.minter.key.kid), fc.string(), fc.jsonValue()), typ: fc.string() }, { requiredKeys: [] }),
  );
  const claims = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'scope', 'scp', 'permissions', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 })));
  const signature = fc.oneof(fc.constant(''), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url')));
  await fc.assert(fc.asyncProperty(routes, json, claims, signature, async (route, header, payload, sig) => {
    expect(await answer(route, `Bearer ${base64url(JSON.stringify(header) ?? '')}.${base64url(JSON.stringify(payload) ?? '')}.${sig}`)).toBe(401);
  }), { numRuns: RUNS });
});

/** One edit of a token: a character replaced, inserted or deleted, a truncation, or segments reordered. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.constantFrom(...BASE64URL, '.', '=', '+', '/', ' ', '\u0000', 'é') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.constantFrom(...BASE64URL, '.', '=') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), order: fc.constantFrom([1, 0, 2], [0, 2, 1], [2, 1, 0], [0, 0, 2], [0, 1, 1]) }),
  fc.record({ kind: fc.constant('header' as const), alg: fc.constantFrom('none', 'HS256', 'RS384', 'PS256', 'ES256', 'RS256') }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(token: string, m: Mutation): string {
  if (m.kind === 'swap') {
    const parts = token.split('.');
    return m.order.map((i) => parts[i]).join('.');
  }
  if (m.kind === 'header') {
    const [h, ...rest] = token.split('.');
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString());
    } catch {
      return token; // an earlier mutation already broke the header
    }
    return [base64url(JSON.stringify({ ...(header as object), alg: m.alg })), ...rest].join('.');
  }
  const at = m.at % (token.length + 1);
  if (m.kind === 'replace') return token.slice(0, at) + m.char + token.slice(at + 1);
  if (m.kind === 'insert') return token.slice(0, at) + m.char + token.slice(at);
  if (m.kind === 'delete') return token.slice(0, at) + token.slice(at + 1);
  return token.slice(0, at);
}

test('one to three mutations of a valid token get 401, or the unmodified token\'s decision when the JWS is unchanged', async () => {
  // The unmodified decision per case: allowed (200) and lacking the scope (403), on a fixed route.
  const cases = [
    { route: colors, token: f.minter.accessToken({ scope: 'read:colors' }), decision: 200 },
    { route: { method: 'POST', resource: '/colors' }, token: f.minter.accessToken({ scope: 'read:colors' }), decision: 403 },
  ];
  for (const c of cases) expect(await answer(c.route, `Bearer ${c.token}`)).toBe(c.decision);
  let unchanged = 0;
  await fc.assert(fc.asyncProperty(fc.constantFrom(...cases), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (c, mutations) => {
    const mutated = mutations.reduce(mutate, c.token);
    const status = await answer(c.route, `Bearer ${mutated}`);
    if (mutated === c.token || sameJws(c.token, mutated)) {
      unchanged += 1;
      // A non-canonical base64url spelling of the same signature bytes may be accepted: it is the same JWS.
      expect([c.decision, 401]).toContain(status);
    } else {
      expect(status).toBe(401);
    }
  }), { numRuns: RUNS });
  // Most mutations change the token; the property is not satisfied vacuously.
  expect(unchanged).toBeLessThan(RUNS / 4);
});
