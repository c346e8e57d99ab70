/**
 * Real NodejsFunction backends (bundled by esbuild at synth, CommonJS and ES module output) served
 * by the command's REST API kind from the cloud assembly, behind the authorizer pointed at the
 * local issuer: what `cdk-auth0-protected-api local` does, in-process.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RunningApi } from '../../local/api-kind';
import { API_KINDS } from '../../local/api-kinds';
import { readCloudAssembly } from '../../local/cloud-assembly';
import { LocalIssuer } from '../../local/issuer/local-issuer';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { Auth0ProtectedApi } from '../../src';

const ROOT = join(__dirname, '..', '..');
const AUDIENCE = 'https://orders.example.com';

describe('NodejsFunction backends under the local gateway', () => {
  let work: string;
  let issuer: LocalIssuer;
  let functions: FunctionRunner;
  let running: RunningApi;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'local-nodejs-'));
    const app = new App({ outdir: join(work, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Orders');
    const backend = (id: string, format: OutputFormat) => new NodejsFunction(stack, id, {
      entry: join(__dirname, 'fixtures', 'orders-handler.ts'),
      runtime: Runtime.NODEJS_22_X,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: { format, forceDockerBundling: false },
    });
    const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'orders.eu.auth0.com', audience: AUDIENCE });
    api.addRoute('GET /orders/{id}', new LambdaIntegration(backend('Cjs', OutputFormat.CJS)), { scopes: ['read:orders'] });
    api.addRoute('GET /esm/{id}', new LambdaIntegration(backend('Esm', OutputFormat.ESM)), { scopes: ['read:orders'] });
    app.synth();

    const stacks = readCloudAssembly(join(work, 'cdk.out'));
    const found = stacks.flatMap((s) => API_KINDS.flatMap((kind) => kind.find(s)));
    expect(found.map((a) => a.kind)).toEqual(['REST API']);
    issuer = await LocalIssuer.start({ audiences: [AUDIENCE], defaultAudience: AUDIENCE });
    functions = new FunctionRunner();
    running = await found[0].serve({ issuer, port: 0, functions, workDir: work, log: () => undefined, onActivity: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await functions?.stop();
    await issuer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test.each([
    ['/orders/7', 'cjs'],
    ['/esm/7', 'esm'],
  ])('%s runs the bundle esbuild made (%s) with the caller\'s sub', async (path, module) => {
    const token = issuer.issueClientCredentialsToken({ scope: 'read:orders', clientId: 'orders-client' });
    const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ module, sub: 'orders-client@clients', id: '7' });
  });

  test('a token from another issuer is refused: the authorizer trusts only the local issuer', async () => {
    const other = await LocalIssuer.start({ audiences: [AUDIENCE] });
    try {
      const token = other.issueClientCredentialsToken({ scope: 'read:orders', audience: AUDIENCE });
      expect((await fetch(`${running.baseUrl}/orders/7`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
