/**
 * The single-page app (examples/spa) in headless Chromium: Debian's /usr/bin/chromium driven by
 * puppeteer-core, which downloads no browser. The app signs in with @auth0/auth0-spa-js against the
 * local issuer (authorization code with PKCE, Auth0's endpoint paths and `audience`) and calls the
 * example API served by the local API Gateway, on three different 127.0.0.1 origins, so every call
 * is cross-origin and the browser applies CORS to each response exactly as it would in production.
 * It runs twice, each in its own browser context: Bearer tokens (the default), and DPoP (`useDpop`,
 * the API in `dpop` REQUIRED), where auth0-spa-js binds the tokens to its key and proves it per call.
 */
import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { SpaPage, STEP_MS } from './spa-page';
import { EXAMPLE_AUDIENCE as AUDIENCE, LocalSpa } from '../../examples/spa/local';
import { DpopMode } from '../../src';
import { athOf, thumbprintOf } from '../support/dpop';

/** Debian's package; CHROMIUM_PATH points elsewhere (another distribution's Chromium). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';
const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-reports', 'browser');

let browser: Browser | undefined;

beforeAll(async () => {
  // Never skipped: a missing browser is a broken machine, and says how to fix it.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing). Install it with: ${INSTALL}`);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    timeout: STEP_MS,
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}, 45_000);

afterAll(async () => {
  await browser?.close();
});

/** A JWS's payload or protected header, decoded: the test reads what the browser sent. */
function decodePart(jws: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[part], 'base64url').toString('utf8'));
}

describe('single-page app in Chromium', () => {
  let local: LocalSpa | undefined;
  let app: SpaPage;
  // `npm run spa` on free ports: the app, the local issuer, the example API allowing the app's origin.
  beforeAll(async () => {
    local = await LocalSpa.start();
    app = await SpaPage.open(browser!, local);
  }, 45_000);
  afterAll(async () => {
    await app?.close();
    await local?.stop();
  });
  const press = (call: Parameters<SpaPage['press']>[0]) => app.press(call);
  const corsTrouble = () => app.corsTrouble();

  test('signed out: the public route answers 200 and the protected route 401, both readable by the page', async () => {
    const health = await press('public');
    expect(health.status).toBe('200');
    expect(JSON.parse(health.body)).toEqual({ route: 'GET /health', authorizer: null });

    const colors = await press('protected');
    expect(colors.status).toBe('401');
    expect(colors.body).toContain('WWW-Authenticate: Bearer error="invalid_token"');
    expect(colors.body).toContain('"message":"Unauthorized"');
    expect(corsTrouble()).toEqual([]);

    await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'spa-signed-out.png'), fullPage: true });
  });

  test('signs in through the login page with authorization code and PKCE, for the API audience', async () => {
    await app.page.click('#login');
    await app.page.waitForSelector('#username');
    expect(app.page.url()).toMatch(new RegExp(`^${local!.issuer.domain}/authorize\\?`));
    expect(await app.page.$eval('#permissions', (input) => input.getAttribute('value'))).toBe('read:colors');
    await app.page.type('#username', 'ada');
    await Promise.all([app.page.waitForNavigation(), app.page.click('#sign-in')]);
    await app.page.waitForSelector('body[data-ready="true"]');
    await app.page.waitForSelector('#granted');

    expect(app.page.url()).toBe(`${local!.spa.origin}/`);
    expect(await app.page.$eval('#session', (p) => p.textContent)).toMatch(/^Signed in as ada\b/);
    expect(await app.page.$eval('#granted', (code) => code.textContent)).toBe('openid profile read:colors');
    expect(await app.page.$eval('#token-type', (code) => code.textContent)).toBe('Bearer');

    const authorize = new URL(app.issuerRequests.find((r) => r.url().includes('/authorize?'))!.url());
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'example-spa',
      response_type: 'code',
      code_challenge_method: 'S256',
      audience: AUDIENCE,
      scope: 'openid profile read:colors',
      redirect_uri: `${local!.spa.origin}/`,
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const exchange = app.issuerRequests.find((r) => r.method() === 'POST' && r.url() === `${local!.issuer.domain}/oauth/token`);
    const form = new URLSearchParams(exchange?.postData() ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[\w.~-]{43,128}$/);
  });

  test('signed in: the protected route answers 200, and the backend sees the user the authorizer verified', async () => {
    expect((await press('public')).status).toBe('200');
    const colors = await press('protected');
    expect(colors.status).toBe('200');
    expect(JSON.parse(colors.body)).toMatchObject({
      route: 'GET /colors',
      authorizer: { principalId: 'local|ada', sub: 'local|ada', scope: 'openid profile read:colors' },
    });
    // DPoP is off by default: a plain Bearer token, no proof.
    const sent = app.apiRequests.filter((r) => r.method() === 'GET' && r.url() === `${local!.api.url}colors`).at(-1)!.headers();
    expect(sent.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sent).not.toHaveProperty('dpop');
  });

  test('a route needing a scope the user lacks answers 403 insufficient_scope, readable by the page', async () => {
    const files = await press('missing-scope');
    expect(files.status).toBe('403');
    expect(files.body).toContain('WWW-Authenticate: Bearer error="insufficient_scope"');
    expect(files.body).toContain('"message":"Forbidden"');

    await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'spa-signed-in.png'), fullPage: true });
  });

  test('signs out through the issuer\'s /v2/logout, back to the page, where the protected route answers 401 again', async () => {
    await Promise.all([app.page.waitForNavigation(), app.page.click('#logout')]);
    await app.page.waitForSelector('body[data-ready="true"]');
    expect(app.page.url()).toBe(`${local!.spa.origin}/`);
    const logout = new URL(app.issuerRequests.find((r) => r.url().includes('/v2/logout?'))!.url());
    expect(logout.searchParams.get('returnTo')).toBe(`${local!.spa.origin}/`);
    expect(await app.page.$eval('#session', (p) => p.textContent)).toMatch(/^Signed out/);
    expect((await press('protected')).status).toBe('401');
  });

  test('the browser reported no CORS error, failed request or page error on the way', () => {
    // A refused CORS read shows in the console ("blocked by CORS policy") and fails the fetch.
    expect(corsTrouble()).toEqual([]);
    expect(app.reports.filter((r) => /^page error/.test(r))).toEqual([]);
  });
});

describe('single-page app in Chromium with DPoP (useDpop, the API in dpop REQUIRED)', () => {
  let local: LocalSpa | undefined;
  let app: SpaPage;
  /** The local API's lines: each request with its status and the authorizer's refusal reason. */
  const apiLog: string[] = [];
  // `SPA_DPOP=required npm run spa` on free ports.
  beforeAll(async () => {
    local = await LocalSpa.start({ dpop: DpopMode.REQUIRED, onLog: (line) => line.startsWith('[api]') && apiLog.push(line) });
    app = await SpaPage.open(browser!, local);
  }, 45_000);
  afterAll(async () => {
    await app?.close();
    await local?.stop();
  });

  /** The last call the page made to `GET {api}/colors`: the token and the proof it sent. */
  function lastColorsCall(): { scheme: string; token: string; proof: string | undefined } {
    const request = app.apiRequests.filter((r) => r.method() === 'GET' && r.url() === `${local!.api.url}colors`).at(-1);
    const [scheme, token] = (request?.headers().authorization ?? '').split(' ');
    return { scheme, token, proof: request?.headers().dpop };
  }

  test('signed out: the protected route answers 401 with a DPoP challenge only, readable by the page', async () => {
    const colors = await app.press('protected');
    expect(colors.status).toBe('401');
    expect(colors.body).toContain('WWW-Authenticate: DPoP error="invalid_token", algs="');
    expect(colors.body).not.toContain('Bearer');
    expect(app.corsTrouble()).toEqual([]);
  });

  test('signs in with a DPoP proof at the token endpoint and holds a DPoP access token', async () => {
    await app.signIn('grace');
    expect(await app.page.$eval('#granted', (code) => code.textContent)).toBe('openid profile read:colors');
    expect(await app.page.$eval('#token-type', (code) => code.textContent)).toBe('DPoP');

    const exchange = app.issuerRequests.find((r) => r.method() === 'POST' && r.url() === `${local!.issuer.domain}/oauth/token`);
    const proof = exchange?.headers().dpop ?? '';
    expect(decodePart(proof, 0)).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(decodePart(proof, 1)).toMatchObject({ htm: 'POST', htu: `${local!.issuer.domain}/oauth/token` });
  });

  test('the protected route answers 200 to Authorization: DPoP with a proof for that very call, by the key the token is bound to', async () => {
    const colors = await app.press('protected');
    expect(colors.status).toBe('200');
    expect(JSON.parse(colors.body)).toMatchObject({
      route: 'GET /colors',
      authorizer: { principalId: 'local|grace', sub: 'local|grace', scope: 'openid profile read:colors' },
    });

    const { scheme, token, proof } = lastColorsCall();
    expect(scheme).toBe('DPoP');
    const header = decodePart(proof ?? '', 0);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(header.jwk).not.toHaveProperty('d');
    expect(decodePart(proof ?? '', 1)).toMatchObject({ htm: 'GET', htu: `${local!.api.url}colors`, ath: athOf(token) });
    // The token the authorizer accepted is bound (RFC 9449 section 6) to the key that signed the proof.
    expect(decodePart(token, 1).cnf).toEqual({ jkt: thumbprintOf(header.jwk as Record<string, unknown>) });

    // The DPoP header makes the call non-simple: the browser asked first, and the API allowed it.
    const preflight = app.apiRequests.filter((r) => r.method() === 'OPTIONS' && r.url() === `${local!.api.url}colors`).at(-1);
    expect(preflight?.headers()['access-control-request-headers']?.split(',')).toContain('dpop');
    expect(preflight?.response()?.headers()['access-control-allow-headers']?.toLowerCase().split(',')).toContain('dpop');
  });

  test('a route needing a scope the user lacks answers 403 with a DPoP insufficient_scope challenge, readable by the page', async () => {
    const files = await app.press('missing-scope');
    expect(files.status).toBe('403');
    expect(files.body).toContain('WWW-Authenticate: DPoP error="insufficient_scope"');
    expect(files.body).toContain('"message":"Forbidden"');
    await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'spa-dpop-signed-in.png'), fullPage: true });
  });

  test('the same token sent as Bearer without a proof, or with the proof of an earlier call, answers 401, readable by the page', async () => {
    expect((await app.press('protected')).status).toBe('200');
    const { scheme, token, proof } = lastColorsCall();
    // What the page just sent with success: a DPoP-bound token and its proof.
    expect(scheme).toBe('DPoP');
    expect(decodePart(token, 1)).toHaveProperty('cnf.jkt');
    expect(proof).toBeDefined();

    const bearer = await app.fetchFromPage('colors', { Authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(401);
    expect(bearer.challenge).toMatch(/^DPoP error="invalid_token"/);
    expect(bearer.body).toContain('"message":"Unauthorized"');
    expect(apiLog.at(-1)).toMatch(/GET \/prod\/colors → 401 .*reason: dpop_required/);

    // RFC 9449 section 11.1: a proof is good for one request only.
    const replayed = await app.fetchFromPage('colors', { Authorization: `DPoP ${token}`, DPoP: proof! });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('"message":"Unauthorized"');
    expect(apiLog.at(-1)).toMatch(/GET \/prod\/colors → 401 .*reason: dpop_proof_replayed/);
  });

  test('the browser reported no CORS error, failed request or page error on the way', () => {
    expect(app.corsTrouble()).toEqual([]);
    expect(app.reports.filter((r) => /^page error/.test(r))).toEqual([]);
  });
});
