/**
 * What a web page on another origin can make the local issuer do. Browsers send a form POST
 * (urlencoded) cross-site without a CORS preflight, so the issuer acts on it even though the page
 * cannot read the answer: it must not sign the developer in (login CSRF), nor write request data
 * raw into the command's log (fake request lines, terminal escapes).
 */
import { createHash, randomBytes } from 'crypto';
import { LOCAL_CLIENT_SECRET, LocalIssuer } from '../../local/issuer/local-issuer';

const AUDIENCE = 'https://api.acme.com';
const verifier = randomBytes(32).toString('base64url');
const authorizeParams = {
  client_id: 'local-spa',
  redirect_uri: 'http://127.0.0.1:5173/',
  response_type: 'code',
  scope: 'openid read:colors',
  audience: AUDIENCE,
  state: 's',
  code_challenge: createHash('sha256').update(verifier).digest('base64url'),
  code_challenge_method: 'S256',
};

let issuer: LocalIssuer;
const lines: string[] = [];
beforeAll(async () => {
  issuer = await LocalIssuer.start({ defaultAudience: AUDIENCE, onLog: (l) => lines.push(l) });
});
afterAll(async () => issuer?.stop());
beforeEach(() => { lines.length = 0; });

async function form(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${issuer.domain}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });
}

/** The sign-in page for `params`, and the CSRF token its form carries. */
async function loginForm(params: Record<string, string> = authorizeParams): Promise<string> {
  const html = await (await fetch(`${issuer.domain}/authorize?${new URLSearchParams(params)}`)).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(token).toMatch(/^[\w-]{20,}$/);
  return token!;
}

const sameOrigin = () => ({ 'origin': issuer.domain, 'sec-fetch-site': 'same-origin' });

describe('login CSRF: POST /authorize', () => {
  test.each([
    ['a cross-site form (Sec-Fetch-Site: cross-site, foreign Origin)', { 'origin': 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['a same-site page on another port (Sec-Fetch-Site: same-site)', { 'origin': 'http://127.0.0.1:5173', 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin without Sec-Fetch-Site', { origin: 'https://evil.example' }],
    ['Origin null (a sandboxed page)', { origin: 'null' }],
  ])('%s is refused with 403, no session, no code', async (_, headers) => {
    const csrf = await loginForm();
    const res = await form('/authorize', { ...authorizeParams, username: 'attacker', csrf }, headers);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/cross-site/i);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('location')).toBeNull();
  });

  test('a form without the sign-in page\'s CSRF token is refused, even from the issuer\'s own origin', async () => {
    const res = await form('/authorize', { ...authorizeParams, username: 'attacker' }, sameOrigin());
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/sign-in form/);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test('a CSRF token is bound to its authorization request and is good once', async () => {
    const csrf = await loginForm();
    const other = await form('/authorize', { ...authorizeParams, redirect_uri: 'http://127.0.0.1:6000/', username: 'attacker', csrf }, sameOrigin());
    expect(other.status).toBe(403);
    const forged = await form('/authorize', { ...authorizeParams, username: 'dev', csrf: `${csrf}x` }, sameOrigin());
    expect(forged.status).toBe(403);

    const fresh = await loginForm();
    const ok = await form('/authorize', { ...authorizeParams, username: 'dev', csrf: fresh }, sameOrigin());
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(ok.headers.get('set-cookie')).toMatch(/^local_issuer_session=/);
    const again = await form('/authorize', { ...authorizeParams, username: 'dev', csrf: fresh }, sameOrigin());
    expect(again.status).toBe(403);
  });

  test('a form the issuer shows again (bad user name) carries a new token that signs in', async () => {
    const csrf = await loginForm();
    const bad = await form('/authorize', { ...authorizeParams, username: 'not a name', csrf }, sameOrigin());
    expect(bad.status).toBe(400);
    const next = /name="csrf" value="([^"]+)"/.exec(await bad.text())?.[1];
    expect(next).toBeDefined();
    expect(next).not.toBe(csrf);
    expect((await form('/authorize', { ...authorizeParams, username: 'dev', csrf: next! }, sameOrigin())).status).toBe(302);
  });
});

describe('log lines from request data', () => {
  const forged = 'x\n21:07:00 GET /prod/admin → 200  (GET /admin, authorizer: invoked)\u001b[31m\u009b2J\u2028';

  test('a client_id with a newline or an escape is refused as invalid_client, and logged escaped', async () => {
    const res = await form('/oauth/token', { grant_type: 'client_credentials', client_id: forged, client_secret: LOCAL_CLIENT_SECRET }, { origin: 'https://evil.example' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
  });

  test('a scope with a newline and an ANSI escape is logged on one line, escaped', async () => {
    const res = await form('/oauth/token', { grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: LOCAL_CLIENT_SECRET, scope: `read:colors ${forged}` });
    expect(res.status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect(lines[0]).toContain('x\\u000a21:07:00 GET /prod/admin');
    expect(lines[0]).toContain('\\u001b[31m');
  });

  test('an /authorize client_id outside the safe characters is refused', async () => {
    const res = await fetch(`${issuer.domain}/authorize?${new URLSearchParams({ ...authorizeParams, client_id: 'spa"><script>' })}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/client_id/);
  });
});
