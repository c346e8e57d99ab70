/**
 * A static server for the single-page app, on 127.0.0.1: index.html, app.js, Auth0's SPA library
 * from node_modules (nothing from a CDN), and config.js, either the file here or written from the
 * configuration it was given.
 *
 * `npx ts-node --project tsconfig.dev.json examples/spa/serve.ts` serves it on SPA_PORT (default 5173);
 * with AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_AUDIENCE and API_URL set, config.js comes from them
 * (and USE_DPOP=true switches DPoP on).
 * The browser test (test/browser) starts it on a free port with the local issuer's values.
 */
import { readFile } from 'fs/promises';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { dirname, join } from 'path';
import { listenOnLoopback } from '../../local/http-io';

/** What the page needs to sign in and call the API (window.SPA_CONFIG). */
export interface SpaConfig {
  /** The issuer's host (`acme.us.auth0.com`) or, for a local issuer, its `http://127.0.0.1:port` origin. */
  readonly domain: string;
  readonly clientId: string;
  readonly audience: string;
  /** The API stage's base URL. */
  readonly apiUrl: string;
  /**
   * Sign in with DPoP-bound tokens and call the API with `Authorization: DPoP` and a `DPoP` proof
   * (auth0-spa-js `useDpop`); the API must run with `dpop` ALLOWED or REQUIRED. @default false
   */
  readonly useDpop?: boolean;
}

export interface SpaServerOptions {
  /** 0: any free port. @default 0 */
  readonly port?: number;
  /** Asked on every request for config.js, so a test can set it once the other servers are up. @default - examples/spa/config.js */
  readonly config?: () => SpaConfig | undefined;
}

const SPA_DIR = __dirname;
const LIBRARY = join(dirname(require.resolve('@auth0/auth0-spa-js/package.json')), 'dist', 'auth0-spa-js.production.esm.js');

/** Path → file and content type: nothing else is served. */
const FILES: Record<string, [string, string]> = {
  '/': [join(SPA_DIR, 'index.html'), 'text/html; charset=utf-8'],
  '/index.html': [join(SPA_DIR, 'index.html'), 'text/html; charset=utf-8'],
  '/app.js': [join(SPA_DIR, 'app.js'), 'text/javascript; charset=utf-8'],
  '/config.js': [join(SPA_DIR, 'config.js'), 'text/javascript; charset=utf-8'],
  '/vendor/auth0-spa-js.production.esm.js': [LIBRARY, 'text/javascript; charset=utf-8'],
};

export class SpaServer {
  public static async start(options: SpaServerOptions = {}): Promise<SpaServer> {
    // Through the command's own loopback server: a rebound host name gets 421 here too.
    const server = await listenOnLoopback(options.port ?? 0, (req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const file = FILES[path];
      if (req.method !== 'GET' || !file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const given = path === '/config.js' ? options.config?.() : undefined;
      const content = given
        ? Promise.resolve(`window.SPA_CONFIG = ${JSON.stringify(given, null, 2)};\n`)
        : readFile(file[0], 'utf8');
      content.then(
        // no-store: the page always runs the app and configuration it was just given.
        (text) => res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('unreadable'),
      );
    });
    return new SpaServer(server);
  }

  /** `http://127.0.0.1:<port>`: the origin the API and the issuer must allow. */
  public readonly origin: string;

  private constructor(private readonly server: Server) {
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function configFromEnvironment(): SpaConfig | undefined {
  const names = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_AUDIENCE', 'API_URL'] as const;
  const set = names.filter((name) => process.env[name]);
  if (set.length === 0) return undefined;
  if (set.length < names.length) {
    throw new Error(`${names.filter((n) => !process.env[n]).join(', ')}: not set. Set all of ${names.join(', ')}, or none to use examples/spa/config.js.`);
  }
  const env = process.env as Record<(typeof names)[number], string>;
  const useDpop = process.env.USE_DPOP ?? 'false';
  if (useDpop !== 'true' && useDpop !== 'false') throw new Error(`USE_DPOP: "${useDpop}" is not true or false. Set USE_DPOP=true for DPoP-bound tokens, or leave it unset.`);
  return { domain: env.AUTH0_DOMAIN, clientId: env.AUTH0_CLIENT_ID, audience: env.AUTH0_AUDIENCE, apiUrl: env.API_URL, useDpop: useDpop === 'true' };
}

if (require.main === module) {
  const port = Number(process.env.SPA_PORT ?? 5173);
  const config = configFromEnvironment();
  void SpaServer.start({ port, config: () => config }).then((spa) => {
    console.log(`Single-page app: ${spa.origin}/  (config: ${config ? 'from AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_AUDIENCE, API_URL' : 'examples/spa/config.js'})`);
    console.log(`Allow ${spa.origin} in the API's cors (ALLOWED_ORIGINS) and as the Auth0 application's callback, logout URL and web origin.`);
  }, (e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
