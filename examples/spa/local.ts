/**
 * `npm run spa`: the single-page app against local stand-ins, all on 127.0.0.1: the local issuer
 * (Auth0's endpoint paths, login page, authorization code with PKCE), the example API behind the
 * shipped authorizer on the local API Gateway, allowing the app's origin, and the app itself.
 * The browser test starts the same three on free ports.
 *
 * Environment: SPA_PORT (default 5173), SPA_API_PORT (default 3000), SPA_ISSUER_PORT (default 3001);
 * SPA_DPOP=required (or allowed) runs the API with that `dpop` mode and the page with `useDpop`.
 */
import { LocalExampleApi } from './local-example-api';
import { SpaServer, type SpaConfig } from './serve';
import { LocalIssuer } from '../../local';
import { DpopMode } from '../../src';
import { dpopFromEnvironment } from '../typescript/dpop-from-environment';

/** The example API's audience (examples/typescript). */
export const EXAMPLE_AUDIENCE = 'https://api.example.com';
/** Any client id signs in at the local issuer; this one reads well in its log. */
export const LOCAL_SPA_CLIENT_ID = 'example-spa';

export interface LocalSpaOptions {
  /** 0: any free port. @default 0 */
  readonly spaPort?: number;
  /** @default 0 */
  readonly apiPort?: number;
  /** @default 0 */
  readonly issuerPort?: number;
  /** Called with the issuer's and the API's log lines. */
  readonly onLog?: (line: string) => void;
  /**
   * The API's `dpop` mode. ALLOWED or REQUIRED also switches the page's `useDpop` on: it then signs
   * in with DPoP-bound tokens and sends a proof with every call.
   * @default DpopMode.DISABLED
   */
  readonly dpop?: DpopMode;
}

export class LocalSpa {
  /** Starts the app's server first: its origin is what the API must allow. */
  public static async start(options: LocalSpaOptions = {}): Promise<LocalSpa> {
    let config: SpaConfig | undefined;
    const spa = await SpaServer.start({ port: options.spaPort, config: () => config });
    const stoppers: (() => Promise<void>)[] = [() => spa.stop()];
    try {
      const issuer = await LocalIssuer.start({
        port: options.issuerPort,
        defaultAudience: EXAMPLE_AUDIENCE,
        audiences: [EXAMPLE_AUDIENCE],
        onLog: (line) => options.onLog?.(`[issuer] ${line}`),
      });
      stoppers.unshift(() => issuer.stop());
      const api = await LocalExampleApi.start({
        issuer: issuer.issuer,
        audience: EXAMPLE_AUDIENCE,
        allowOrigins: [spa.origin],
        dpop: options.dpop,
        port: options.apiPort,
        onRequest: (line) => options.onLog?.(`[api] ${line}`),
      });
      stoppers.unshift(() => api.stop());
      const useDpop = options.dpop !== undefined && options.dpop !== DpopMode.DISABLED;
      config = { domain: issuer.domain, clientId: LOCAL_SPA_CLIENT_ID, audience: EXAMPLE_AUDIENCE, apiUrl: api.url, useDpop };
      return new LocalSpa(spa, issuer, api, config, stoppers);
    } catch (e) {
      for (const stop of stoppers) await stop();
      throw e;
    }
  }

  private constructor(
    public readonly spa: SpaServer,
    public readonly issuer: LocalIssuer,
    public readonly api: LocalExampleApi,
    /** What the page gets as window.SPA_CONFIG. */
    public readonly config: SpaConfig,
    private readonly stoppers: (() => Promise<void>)[],
  ) {}

  public async stop(): Promise<void> {
    for (const stop of this.stoppers) await stop();
  }
}

function portFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name}: ${process.env[name]} is not a port number`);
  return value;
}

if (require.main === module) {
  void (async () => {
    const dpop = dpopFromEnvironment('SPA_DPOP');
    const local = await LocalSpa.start({
      dpop,
      spaPort: portFrom('SPA_PORT', 5173),
      apiPort: portFrom('SPA_API_PORT', 3000),
      issuerPort: portFrom('SPA_ISSUER_PORT', 3001),
      onLog: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
    });
    console.log([
      '',
      `Single-page app:  ${local.spa.origin}/   (open it; sign in with any user name)`,
      `Local issuer:     ${local.issuer.domain}   (the app's "domain")`,
      `Example API:      ${local.api.url}   (allows the origin ${local.spa.origin})`,
      `DPoP:             ${local.config.useDpop ? `${dpop} by the API, on in the page (useDpop)` : 'off (SPA_DPOP=required switches it on)'}`,
      '',
      'Ctrl-C stops all three.',
      '',
    ].join('\n'));
    const stop = () => void local.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
