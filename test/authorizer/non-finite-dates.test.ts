/**
 * NumericDate claims (`exp`, `nbf`, `iat`) that are numbers to JSON.parse but not to a clock:
 * `1e999` parses to Infinity, `-1e999` to -Infinity. jose (6.x) checks only `typeof value ===
 * 'number'` when verifying, so `exp: 1e999` never expires, `nbf: -1e999` and any non-finite `iat`
 * pass. Each such token, validly signed by the issuer's key, must be a 401 with the reason
 * `invalid_claims` in the one refusal line, never a 200 or a 500. The payload is written as raw
 * text because JSON.stringify turns Infinity into `null` (and jose's own SignJWT refuses it).
 */
import { sign as cryptoSign } from 'crypto';
import { AuthorizerFixture, isRefusal } from '../support/fixture';
import { base64url, nowSeconds } from '../support/tokens';

jest.setTimeout(30_000);

let f: AuthorizerFixture;
beforeAll(async () => {
  f = await AuthorizerFixture.start();
});
afterAll(async () => {
  await f?.stop();
});
beforeEach(() => f.authorizer.clearOutput());

const colors = { method: 'GET', resource: '/colors' } as const;

/** A token validly signed by the issuer's key whose payload is the minter's claims with `replace` spliced in as raw JSON text. */
function signedWith(replace: Record<string, string>): string {
  const claims = f.minter.claims({ scope: 'read:colors' });
  const members = Object.entries({ ...Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, JSON.stringify(v)])), ...replace })
    .map(([name, text]) => `${JSON.stringify(name)}:${text}`);
  const header = { alg: 'RS256', typ: 'at+jwt', kid: f.minter.key.kid };
  const input = `${base64url(JSON.stringify(header))}.${base64url(`{${members.join(',')}}`)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), f.minter.key.privateKey).toString('base64url')}`;
}

// jose refuses two of these by itself, as a date in the past or the future; the others it accepts.
test.each([
  ['exp', '1e999', 'invalid_claims'],
  ['exp', '-1e999', 'expired'],
  ['nbf', '-1e999', 'invalid_claims'],
  ['nbf', '1e999', 'not_yet_valid'],
  ['iat', '1e999', 'invalid_claims'],
  ['iat', '-1e999', 'invalid_claims'],
])('%s: %s (non-finite once parsed) is refused with 401, reason %s', async (claim, text, reason) => {
  const token = signedWith({ [claim]: text });
  const { status, outcome } = await f.call({ ...colors, token });
  expect({ status, outcome }).toEqual({ status: 401, outcome: { error: 'Unauthorized', errorType: 'Error' } });
  const refusals = f.authorizer.logLines().filter(isRefusal);
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toMatchObject({ level: 'WARN', reason, route: 'GET /colors', status: 401, sub: 'auth0|user-1' });
  expect(refusals[0].detail).toContain(`"${claim}"`);
  // Nothing about the token was remembered as verified: the same token is refused again.
  expect((await f.call({ ...colors, token })).status).toBe(401);
});

test('the same raw-text payload with finite dates is allowed (the rows above fail for the stated reason only)', async () => {
  const now = nowSeconds();
  const token = signedWith({ exp: String(now + 300), nbf: String(now - 10), iat: `${now}.0` });
  expect((await f.call({ ...colors, token })).status).toBe(200);
});
