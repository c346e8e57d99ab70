/**
 * The example API (examples/typescript) synthesized for the local issuer and the app's origin, served
 * on 127.0.0.1 by the local API Gateway (local/rest-api, as `npm run dev` and the local command serve
 * it), over real HTTP so that the browser does its own CORS checks.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { GatewaySimulator } from '../../local/rest-api/gateway';
import { RestApiServer } from '../../local/rest-api/rest-api-server';
import { readTemplateApi } from '../../local/rest-api/template-api';
import type { DpopMode } from '../../src';
import { ExampleStack } from '../typescript/example-stack';

export interface LocalExampleApiOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly allowOrigins: string[];
  /** The API's `dpop` mode; ALLOWED or REQUIRED for a page with `useDpop`. @default DpopMode.DISABLED */
  readonly dpop?: DpopMode;
  /** 0: any free port. @default 0 */
  readonly port?: number;
  /** Called with one line per request: method, path, status, route, authorizer step. */
  readonly onRequest?: (line: string) => void;
}

export class LocalExampleApi {
  public static async start(options: LocalExampleApiOptions): Promise<LocalExampleApi> {
    const outdir = mkdtempSync(join(tmpdir(), 'spa-example-'));
    let gateway: GatewaySimulator | undefined;
    try {
      // Asset metadata, as the CDK CLI writes it: it says which directory the authorizer deploys.
      const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
      const stack = new ExampleStack(app, 'Auth0ProtectedApiExample', {
        issuer: options.issuer, audience: options.audience, allowOrigins: options.allowOrigins, dpop: options.dpop,
      });
      const assembly = app.synth();
      gateway = await GatewaySimulator.start(readTemplateApi(assembly.getStackByName(stack.stackName).template, assembly.directory));
      const server = await RestApiServer.start(gateway, {
        port: options.port ?? 0,
        log: options.onRequest ?? (() => undefined),
        onActivity: () => undefined,
      });
      return new LocalExampleApi(server, gateway, outdir);
    } catch (e) {
      await gateway?.stop();
      rmSync(outdir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The stage's base URL with the trailing slash, as the stack's ApiUrl output has it. */
  public readonly url: string;

  private constructor(private readonly server: RestApiServer, private readonly gateway: GatewaySimulator, private readonly outdir: string) {
    this.url = `${server.baseUrl}/`;
  }

  public async stop(): Promise<void> {
    await this.server.stop();
    await this.gateway.stop();
    rmSync(this.outdir, { recursive: true, force: true });
  }
}
