/**
 * The command's stand-in issuer over real HTTP: client credentials as curl sends them, and the
 * authorization code + PKCE flow exactly as auth0-spa-js drives it (the browser itself is proven
 * by the single-page app's headless Chromium test). Its tokens are checked by the shipped
 * authorizer bundle, which verifies them with jose against the issuer's JWKS over loopback.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'crypto';
import { LOCAL_CLIENT_SECRET, LocalIssuer } from '../../local/issuer/local-issuer';
import { requestEvent, statusFor } from '../support/api-gateway';
import { testConfig, TEST_AUDIENCE } from '../support/authorizer-config';
import { AuthorizerProcess } from '../support/authorizer-process';

type Claims = Record<string, unknown>;

function decode(token: string): { header: Claims; claims: Claims } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), claims: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

async function form(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString(), redirect: 'manual' });
}

const SPA = 'http://127.0.0.1:5173';
const CLIENT_ID = 'local-spa';

describe('the local issuer', () => {
  let issuer: LocalIssuer;
  let authorizer: AuthorizerProcess;

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ defaultAudience: TEST_AUDIENCE, audiences: [TEST_AUDIENCE] });
    authorizer = await AuthorizerProcess.start(testConfig({ issuer: issuer.issuer, jwksUri: issuer.jwksUri }));
  });
  afterAll(async () => {
    await authorizer?.stop();
    await issuer?.stop();
  });

  async function clientCredentials(extra: Record<string, string>): Promise<Response> {
    return form(issuer.tokenEndpoint, { grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: LOCAL_CLIENT_SECRET, audience: TEST_AUDIENCE, ...extra });
  }

  test('publishes discovery and keys at Auth0\'s paths', async () => {
    const discovery = await (await fetch(`${issuer.domain}/.well-known/openid-configuration`)).json() as Claims;
    expect(discovery).toMatchObject({
      issuer: issuer.issuer,
      authorization_endpoint: `${issuer.domain}/authorize`,
      token_endpoint: `${issuer.domain}/oauth/token`,
      jwks_uri: `${issuer.domain}/.well-known/jwks.json`,
      userinfo_endpoint: `${issuer.domain}/userinfo`,
      end_session_endpoint: `${issuer.domain}/v2/logout`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const jwks = await (await fetch(issuer.jwksUri)).json() as { keys: Claims[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  test('client credentials: an Auth0-shaped token with the requested scopes, permissions and custom claims, which the authorizer accepts', async () => {
    const response = await clientCredentials({ scope: 'read:colors write:colors', permissions: 'read:items', claims: JSON.stringify({ 'https://example.com/roles': ['admin'] }) });
    expect(response.status).toBe(200);
    const body = await response.json() as { access_token: string; token_type: string; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'read:colors write:colors' });
    const { header, claims } = decode(body.access_token);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    expect(claims).toMatchObject({
      'iss': issuer.issuer,
      'sub': 'local-m2m@clients',
      'aud': TEST_AUDIENCE,
      'azp': 'local-m2m',
      'gty': 'client-credentials',
      'scope': 'read:colors write:colors',
      'permissions': ['read:items'],
      'https://example.com/roles': ['admin'],
    });

    const post = await authorizer.invoke(requestEvent({ method: 'POST', resource: '/colors', token: body.access_token }));
    expect(statusFor(post, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/colors')).toBe(200);
    const item = await authorizer.invoke(requestEvent({ method: 'GET', resource: '/items/{id}', token: body.access_token }));
    expect(item).toMatchObject({ ok: { principalId: 'local-m2m@clients', context: { roles: '["admin"]' } } });
    const admin = await authorizer.invoke(requestEvent({ method: 'GET', resource: '/admin/{proxy+}', path: '/admin/x', token: body.access_token }));
    expect(statusFor(admin, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/admin/x')).toBe(403);
  });

  test('client credentials: refuses a wrong secret, an unknown audience and reserved custom claims', async () => {
    expect((await clientCredentials({ client_secret: 'guess' })).status).toBe(401);
    const audience = await clientCredentials({ audience: 'https://other.example.com' });
    expect(audience.status).toBe(403);
    expect(await audience.json()).toMatchObject({ error: 'access_denied' });
    const reserved = await clientCredentials({ claims: '{"sub":"admin"}' });
    expect(reserved.status).toBe(400);
    expect(await reserved.json()).toMatchObject({ error_description: expect.stringMatching(/may not set sub/) });
    expect((await form(issuer.tokenEndpoint, { grant_type: 'password', client_id: 'x' })).status).toBe(400);
  });

  describe('authorization code with PKCE, as auth0-spa-js runs it', () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorizeParams = {
      client_id: CLIENT_ID,
      redirect_uri: `${SPA}/callback`,
      response_type: 'code',
      response_mode: 'query',
      scope: 'openid profile email read:colors',
      audience: TEST_AUDIENCE,
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };

    async function signIn(username: string, permissions: string): Promise<{ code: string; cookie: string }> {
      const page = await fetch(`${issuer.domain}/authorize?${new URLSearchParams(authorizeParams)}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('id="username"');
      expect(html).toContain('id="sign-in"');
      // The form carries the request and pre-fills the API scopes asked for.
      expect(html).toMatch(/id="permissions" name="permissions" value="read:colors"/);
      // As the browser submits it: from the issuer's own page, with the page's login CSRF token.
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
      const login = await form(`${issuer.domain}/authorize`, { ...authorizeParams, username, permissions, csrf }, { 'origin': issuer.domain, 'sec-fetch-site': 'same-origin' });
      expect(login.status).toBe(302);
      const location = new URL(login.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`${SPA}/callback`);
      expect(location.searchParams.get('state')).toBe('state-1');
      return { code: location.searchParams.get('code')!, cookie: login.headers.get('set-cookie')!.split(';')[0] };
    }

    async function redeem(code: string, codeVerifier = verifier): Promise<Response> {
      // auth0-spa-js posts the form from the SPA's origin, cross-origin.
      return form(issuer.tokenEndpoint, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: codeVerifier, redirect_uri: `${SPA}/callback` }, { origin: SPA });
    }

    test('sign in, redeem the code: an id_token auth0-spa-js accepts and an access token the authorizer accepts', async () => {
      const { code } = await signIn('alice', 'read:colors');
      const response = await redeem(code);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
      const body = await response.json() as { access_token: string; id_token: string; scope: string };
      expect(body.scope).toBe('openid profile email read:colors');

      const id = decode(body.id_token);
      expect(id.header.alg).toBe('RS256');
      expect(id.claims).toMatchObject({ iss: issuer.issuer, aud: CLIENT_ID, sub: 'local|alice', nonce: 'nonce-1', name: 'alice', email: 'alice@example.com' });
      expect(id.claims.exp).toEqual(expect.any(Number));
      expect(id.claims.iat).toEqual(expect.any(Number));
      const jwks = await (await fetch(issuer.jwksUri)).json() as { keys: Record<string, string>[] };
      const [h, p, s] = body.id_token.split('.');
      expect(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwks.keys[0], format: 'jwk' }), Buffer.from(s, 'base64url'))).toBe(true);

      const access = decode(body.access_token).claims;
      expect(access).toMatchObject({ iss: issuer.issuer, sub: 'local|alice', aud: [TEST_AUDIENCE, `${issuer.issuer}userinfo`], azp: CLIENT_ID, scope: 'openid profile email read:colors', permissions: ['read:colors'] });
      const outcome = await authorizer.invoke(requestEvent({ method: 'GET', resource: '/colors', token: body.access_token }));
      expect(statusFor(outcome, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/colors')).toBe(200);

      const userinfo = await fetch(`${issuer.domain}/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
      expect(await userinfo.json()).toEqual({ sub: 'local|alice', name: 'alice', nickname: 'alice', updated_at: expect.any(String), email: 'alice@example.com', email_verified: true });
    });

    test('a user without the permission gets a token without the scope, as with Auth0 RBAC enforced', async () => {
      const { code } = await signIn('bob', '');
      const body = await (await redeem(code)).json() as { access_token: string };
      expect(decode(body.access_token).claims).toMatchObject({ scope: 'openid profile email', permissions: [] });
      const outcome = await authorizer.invoke(requestEvent({ method: 'GET', resource: '/colors', token: body.access_token }));
      expect(statusFor(outcome, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/colors')).toBe(403);
    });

    test('a code is single-use and bound to its PKCE verifier', async () => {
      const wrong = await signIn('carol', 'read:colors');
      const refused = await redeem(wrong.code, randomBytes(32).toString('base64url'));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier/) });
      const { code } = await signIn('carol', 'read:colors');
      expect((await redeem(code)).status).toBe(200);
      expect((await redeem(code)).status).toBe(403);
    });

    test('refuses a request without PKCE and a redirect off this machine', async () => {
      const noPkce = await fetch(`${issuer.domain}/authorize?${new URLSearchParams({ ...authorizeParams, code_challenge: '' })}`, { redirect: 'manual' });
      expect(noPkce.status).toBe(302);
      expect(new URL(noPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
      const away = await fetch(`${issuer.domain}/authorize?${new URLSearchParams({ ...authorizeParams, redirect_uri: 'https://evil.example.com/cb' })}`, { redirect: 'manual' });
      expect(away.status).toBe(400);
    });

    test('silent authentication (prompt=none, web_message): login_required without a session, a code with one', async () => {
      const silent = { ...authorizeParams, prompt: 'none', response_mode: 'web_message' };
      const anonymous = await (await fetch(`${issuer.domain}/authorize?${new URLSearchParams(silent)}`)).text();
      expect(anonymous).toContain('"error":"login_required"');
      expect(anonymous).toContain('postMessage(');
      expect(anonymous).toContain(`"${SPA}"`);
      const { cookie } = await signIn('dave', 'read:colors');
      const page = await (await fetch(`${issuer.domain}/authorize?${new URLSearchParams(silent)}`, { headers: { cookie } })).text();
      const code = /"code":"([^"]+)"/.exec(page)?.[1];
      expect(code).toBeDefined();
      expect((await redeem(code!)).status).toBe(200);
      // Signed out, the session no longer answers.
      const logout = await fetch(`${issuer.domain}/v2/logout?client_id=${CLIENT_ID}&returnTo=${encodeURIComponent(SPA)}`, { headers: { cookie }, redirect: 'manual' });
      expect(logout.status).toBe(302);
      expect(logout.headers.get('location')).toBe(`${SPA}/`);
      expect(await (await fetch(`${issuer.domain}/authorize?${new URLSearchParams(silent)}`, { headers: { cookie } })).text()).toContain('login_required');
    });
  });
});
