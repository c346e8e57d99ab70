/**
 * The single-page app open in a Chromium page of its own (a separate browser context: cookies,
 * storage and auth0-spa-js's DPoP key pair in IndexedDB are not shared), with everything the
 * browser reports collected, for test/browser/spa.test.ts.
 */
import type { Browser, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import type { LocalSpa } from '../../examples/spa/local';

/** Every wait in the page is bounded; the whole file takes a few seconds. */
export const STEP_MS = 10_000;

/** One of the page's three call buttons. */
export type Call = 'public' | 'protected' | 'missing-scope';

export class SpaPage {
  /** Opens the app in a new browser context and waits until app.js has run. */
  public static async open(browser: Browser, local: LocalSpa): Promise<SpaPage> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.setViewport({ width: 1000, height: 640 });
    const spaPage = new SpaPage(page, local);
    await page.goto(`${local.spa.origin}/`);
    await spaPage.ready();
    return spaPage;
  }

  /** Everything the browser reported: console messages, uncaught page errors, failed requests. */
  public readonly reports: string[] = [];
  /** Requests the page sent to the issuer, to check the protocol auth0-spa-js spoke. */
  public readonly issuerRequests: HTTPRequest[] = [];
  /** Requests the page sent to the API, to check the headers it sent. */
  public readonly apiRequests: HTTPRequest[] = [];
  /** The issuer's answers, to check what it issued. */
  public readonly issuerResponses: HTTPResponse[] = [];

  private constructor(public readonly page: Page, private readonly local: LocalSpa) {
    page.on('console', (message) => this.reports.push(`console ${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => this.reports.push(`page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => this.reports.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    page.on('request', (request) => {
      if (request.url().startsWith(local.issuer.domain)) this.issuerRequests.push(request);
      if (request.url().startsWith(local.api.url)) this.apiRequests.push(request);
    });
    page.on('response', (response) => {
      if (response.url().startsWith(local.issuer.domain)) this.issuerResponses.push(response);
    });
  }

  public async ready(): Promise<void> {
    await this.page.waitForSelector('body[data-ready="true"]');
  }

  /** Signs in as `username` through the issuer's login page, back to the app. */
  public async signIn(username: string): Promise<void> {
    await this.page.click('#login');
    await this.page.waitForSelector('#username');
    await this.page.type('#username', username);
    await Promise.all([this.page.waitForNavigation(), this.page.click('#sign-in')]);
    await this.ready();
    await this.page.waitForSelector('#granted');
  }

  /** Clicks one of the page's call buttons and returns what the page shows for it. */
  public async press(call: Call): Promise<{ status: string; body: string }> {
    // The click handler marks the row pending before its first await, so this waits for the new answer.
    await this.page.click(`button[data-call="${call}"]`);
    await this.page.waitForSelector(`#${call}-status[data-status]:not([data-status="pending"])`);
    return {
      status: await this.page.$eval(`#${call}-status`, (cell) => cell.getAttribute('data-status') ?? ''),
      body: await this.page.$eval(`#${call}-body`, (pre) => pre.textContent ?? ''),
    };
  }

  /**
   * A cross-origin `fetch` from the page's own script with the given headers, as any script on the
   * page could send it: the status, the challenge and the body as far as CORS lets the page read them.
   */
  public async fetchFromPage(path: string, headers: Record<string, string>): Promise<{ status: number; challenge: string | null; body: string }> {
    const url = new URL(path, this.local.api.url).href;
    return this.page.evaluate(async (target, sent) => {
      const response = await fetch(target, { headers: sent });
      return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.text() };
    }, url, headers);
  }

  /** Reports that mean the browser could not read a response. */
  public corsTrouble(): string[] {
    return this.reports.filter((r) => /cors|access-control|failed to fetch|blocked|net::err|request failed|page error/i.test(r));
  }

  public async close(): Promise<void> {
    await this.page.browserContext().close();
  }
}
