/**
 * The single-page app (examples/spa) in headless Chromium: Debian's /usr/bin/chromium driven by
 * puppeteer-core, which downloads no browser. The app signs in with @auth0/auth0-spa-js against the
 * local issuer (authorization code with PKCE, Auth0's endpoint paths and `audience`) and calls the
 * example API served by the local API Gateway, on three different 127.0.0.1 origins, so every call
 * is cross-origin and the browser applies CORS to each response exactly as it would in production.
 */
import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { EXAMPLE_AUDIENCE as AUDIENCE, LocalSpa } from '../../examples/spa/local';

/** Debian's package; CHROMIUM_PATH points elsewhere (another distribution's Chromium). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';
const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-reports', 'browser');
/** Every wait in the page is bounded; the whole file takes a few seconds. */
const STEP_MS = 10_000;

let local: LocalSpa | undefined;
let browser: Browser | undefined;
let page: Page;
/** Everything the browser reported: console messages, uncaught page errors, failed requests. */
const reports: string[] = [];
/** Requests the page sent to the issuer, to check the protocol auth0-spa-js spoke. */
const issuerRequests: HTTPRequest[] = [];

beforeAll(async () => {
  // Never skipped: a missing browser is a broken machine, and says how to fix it.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing). Install it with: ${INSTALL}`);
  // `npm run spa` on free ports: the app, the local issuer, the example API allowing the app's origin.
  local = await LocalSpa.start();

  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    timeout: STEP_MS,
  });
  page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.setViewport({ width: 1000, height: 640 });
  page.on('console', (message) => reports.push(`console ${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => reports.push(`page error: ${(error as Error).message}`));
  page.on('requestfailed', (request) => reports.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    if (request.url().startsWith(local!.issuer.domain)) issuerRequests.push(request);
  });
  await page.goto(`${local.spa.origin}/`);
  await page.waitForSelector('body[data-ready="true"]');
}, 45_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

/** Clicks one of the page's call buttons and returns what the page shows for it. */
async function press(call: 'public' | 'protected' | 'missing-scope'): Promise<{ status: string; body: string }> {
  // The click handler marks the row pending before its first await, so this waits for the new answer.
  await page.click(`button[data-call="${call}"]`);
  await page.waitForSelector(`#${call}-status[data-status]:not([data-status="pending"])`);
  return {
    status: await page.$eval(`#${call}-status`, (cell) => cell.getAttribute('data-status') ?? ''),
    body: await page.$eval(`#${call}-body`, (pre) => pre.textContent ?? ''),
  };
}

/** Reports that mean the browser could not read a response. */
const corsTrouble = () => reports.filter((r) => /cors|access-control|failed to fetch|blocked|net::err|request failed|page error/i.test(r));

describe('single-page app in Chromium', () => {
  test('signed out: the public route answers 200 and the protected route 401, both readable by the page', async () => {
    const health = await press('public');
    expect(health.status).toBe('200');
    expect(JSON.parse(health.body)).toEqual({ route: 'GET /health', authorizer: null });

    const colors = await press('protected');
    expect(colors.status).toBe('401');
    expect(colors.body).toContain('WWW-Authenticate: Bearer error="invalid_token"');
    expect(colors.body).toContain('"message":"Unauthorized"');
    expect(corsTrouble()).toEqual([]);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'spa-signed-out.png'), fullPage: true });
  });

  test('signs in through the login page with authorization code and PKCE, for the API audience', async () => {
    await page.click('#login');
    await page.waitForSelector('#username');
    expect(page.url()).toMatch(new RegExp(`^${local!.issuer.domain}/authorize\\?`));
    expect(await page.$eval('#permissions', (input) => input.getAttribute('value'))).toBe('read:colors');
    await page.type('#username', 'ada');
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#granted');

    expect(page.url()).toBe(`${local!.spa.origin}/`);
    expect(await page.$eval('#session', (p) => p.textContent)).toMatch(/^Signed in as ada\b/);
    expect(await page.$eval('#granted', (code) => code.textContent)).toBe('openid profile read:colors');

    const authorize = new URL(issuerRequests.find((r) => r.url().includes('/authorize?'))!.url());
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'example-spa',
      response_type: 'code',
      code_challenge_method: 'S256',
      audience: AUDIENCE,
      scope: 'openid profile read:colors',
      redirect_uri: `${local!.spa.origin}/`,
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const exchange = issuerRequests.find((r) => r.method() === 'POST' && r.url() === `${local!.issuer.domain}/oauth/token`);
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
  });

  test('a route needing a scope the user lacks answers 403 insufficient_scope, readable by the page', async () => {
    const files = await press('missing-scope');
    expect(files.status).toBe('403');
    expect(files.body).toContain('WWW-Authenticate: Bearer error="insufficient_scope"');
    expect(files.body).toContain('"message":"Forbidden"');

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'spa-signed-in.png'), fullPage: true });
  });

  test('signs out through the issuer\'s /v2/logout, back to the page, where the protected route answers 401 again', async () => {
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).toBe(`${local!.spa.origin}/`);
    const logout = new URL(issuerRequests.find((r) => r.url().includes('/v2/logout?'))!.url());
    expect(logout.searchParams.get('returnTo')).toBe(`${local!.spa.origin}/`);
    expect(await page.$eval('#session', (p) => p.textContent)).toMatch(/^Signed out/);
    expect((await press('protected')).status).toBe('401');
  });

  test('the browser reported no CORS error, failed request or page error on the way', () => {
    // A refused CORS read shows in the console ("blocked by CORS policy") and fails the fetch.
    expect(corsTrouble()).toEqual([]);
    expect(reports.filter((r) => /^page error/.test(r))).toEqual([]);
  });
});
