/**
 * Mapped claims (`contextClaims`) the context cannot carry, against the shipped bundle. A claim's
 * value is the issuer's, but often copied from data the user edits (Auth0 `user_metadata` through
 * an Action), so its shape is the caller's choice: a valid token must still be decided (200 or
 * 403), the claim left out with one WARN line that names it and never holds its value, and nothing
 * logged at ERROR, where the AuthorizerErrors alarm would count it.
 */
import { AuthorizerFixture } from '../support/fixture';
import { signJwt } from '../support/tokens';

jest.setTimeout(60_000);

let f: AuthorizerFixture;
beforeAll(async () => {
  f = await AuthorizerFixture.start();
});
afterAll(async () => {
  await f?.stop();
});
beforeEach(() => f.authorizer.clearOutput());

const ROLES = 'https://example.com/roles';
const EMAIL = 'https://example.com/email';

/** A valid token whose roles claim is `rolesJson`, raw text: the nested value is not built in this process, whose JSON.stringify would overflow too. */
function tokenWithRoles(rolesJson: string, scope = 'read:colors'): string {
  const claims = JSON.stringify(f.minter.claims({ scope, [EMAIL]: 'alice@example.com' }));
  const payload = `${claims.slice(0, -1)},${JSON.stringify(ROLES)}:${rolesJson}}`;
  return signJwt({ alg: 'RS256', typ: 'at+jwt', kid: f.minter.key.kid }, payload, f.minter.key.privateKey);
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const errorLines = () => f.authorizer.logLines().filter((l) => l.level === 'ERROR');
const unmappable = () => f.authorizer.logLines().filter((l) => l.reason === 'unmappable_claim');

test.each([4_500, 5_500])('a valid token with a mapped claim nested %i deep is allowed, with no ERROR line', async (depth) => {
  const token = tokenWithRoles(nested(depth));
  expect(token.length).toBeLessThan(16 * 1024 - 10);
  const { status } = await f.call({ method: 'GET', resource: '/colors', token });
  expect({ status, errors: errorLines() }).toEqual({ status: 200, errors: [] });
});

test('a mapped claim nested too deep is left out of the context; the other mapped claims stay', async () => {
  const { result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(nested(4_500)) });
  expect(result?.context).toEqual({ sub: 'auth0|user-1', scope: 'read:colors', email: 'alice@example.com' });
});

test('a mapped claim left out is logged once at WARN as unmappable_claim, naming the claim and the context key', async () => {
  await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(nested(4_500)) });
  expect(unmappable()).toEqual([expect.objectContaining({
    level: 'WARN', reason: 'unmappable_claim', claim: ROLES, contextKey: 'roles', problem: 'nested_too_deep', sub: 'auth0|user-1',
  })]);
});

test('the unmappable_claim line never holds the claim\'s value', async () => {
  const secret = 'x'.repeat(5_000);
  await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(JSON.stringify([[secret]])) });
  const lines = unmappable();
  expect(lines).toHaveLength(1);
  expect(JSON.stringify(lines[0])).not.toContain('xxxxxxxx');
});

test('a token lacking the route scope with an unmappable claim is still refused with 403, not 401', async () => {
  const { status } = await f.call({ method: 'POST', resource: '/colors', token: tokenWithRoles(nested(4_500)) });
  expect({ status, errors: errorLines() }).toEqual({ status: 403, errors: [] });
});

test('a mapped claim nested 32 deep is still passed as its JSON text', async () => {
  const { result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(nested(32)) });
  expect(result?.context?.roles).toBe(nested(32));
  expect(unmappable()).toEqual([]);
});

test('a mapped claim nested 33 deep is left out as nested_too_deep', async () => {
  const { result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(nested(33)) });
  expect(result?.context?.roles).toBeUndefined();
  expect(unmappable()).toEqual([expect.objectContaining({ problem: 'nested_too_deep' })]);
});

test('a mapped string claim of 4,096 bytes is passed whole', async () => {
  const value = 'é'.repeat(2_048);
  const { result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(JSON.stringify(value)) });
  expect(result?.context?.roles).toBe(value);
});

test('a mapped string claim longer than 4,096 bytes is left out as too_long, not cut', async () => {
  const { status, result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(JSON.stringify(`${'é'.repeat(2_048)}a`)) });
  expect(status).toBe(200);
  expect(result?.context?.roles).toBeUndefined();
  expect(unmappable()).toEqual([expect.objectContaining({ claim: ROLES, problem: 'too_long' })]);
});

test('a mapped list whose JSON text is longer than 4,096 bytes is left out as too_long', async () => {
  const list = Array.from({ length: 1_000 }, (_, i) => `r${i}`);
  expect(JSON.stringify(list).length).toBeGreaterThan(4_096);
  const { result } = await f.call({ method: 'GET', resource: '/colors', token: tokenWithRoles(JSON.stringify(list)) });
  expect(result?.context?.roles).toBeUndefined();
  expect(unmappable()).toEqual([expect.objectContaining({ problem: 'too_long' })]);
});
