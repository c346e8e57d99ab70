import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { installPacked, nodeOnlyPath, packLibrary } from '../support/packed-package';

// Proves what a user gets from npm: the packed tarball synthesizes a stack with neither esbuild
// nor Docker, because the authorizer ships prebuilt inside it.
describe('the packed npm tarball', () => {
  let work: string;
  let files: string[];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'packed-tarball-'));
    const packed = packLibrary(work);
    files = packed.files;
    const app = join(work, 'app');
    installPacked(packed.tarball, app);
    writeFileSync(join(app, 'app.js'), [
      "const { App, Stack } = require('aws-cdk-lib');",
      "const { MockIntegration } = require('aws-cdk-lib/aws-apigateway');",
      "const { Auth0ProtectedApi } = require('cdk-auth0-protected-api');",
      "const app = new App({ outdir: 'cdk.out' });",
      "const stack = new Stack(app, 'Packed');",
      "const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', publicRoutes: ['GET /health'] });",
      "api.addRoute('GET /health', new MockIntegration());",
      "api.addRoute('GET /things/{id}', new MockIntegration(), { scopes: ['read:things'] });",
      'app.synth();',
    ].join('\n'));
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('contains the prebuilt authorizer bundle, and no authorizer source', () => {
    expect(files).toContain('assets/authorizer/index.mjs');
    expect(files.filter((f) => f.startsWith('lambda/'))).toEqual([]);
    // The local command ships bundled, its TypeScript source does not.
    expect(files).toEqual(expect.arrayContaining(['assets/local/cli.js', 'assets/local/lambda-host.mjs']));
    expect(files.filter((f) => f.startsWith('local/'))).toEqual([]);
    expect(files).toContain('lib/index.js');
    expect(files).toContain('.jsii');
  });

  test('synthesizes a stack with neither esbuild nor Docker on the PATH', () => {
    const app = join(work, 'app');
    // A PATH holding node alone: no esbuild, no docker, no npx.
    const bin = nodeOnlyPath(work);
    execFileSync(join(bin, 'node'), ['app.js'], { cwd: app, env: { PATH: bin, HOME: work }, stdio: 'pipe' });
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'Packed.template.json'), 'utf8'));
    const authorizers = Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    const assets = JSON.parse(readFileSync(join(app, 'cdk.out', 'Packed.assets.json'), 'utf8'));
    const staged = Object.values(assets.files as Record<string, { source: { path: string } }>).map((f) => join(app, 'cdk.out', f.source.path));
    expect(staged.some((dir) => existsSync(join(dir, 'index.mjs')) && existsSync(join(dir, 'config.json')))).toBe(true);
  });
});
