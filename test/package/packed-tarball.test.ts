import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Proves what a user gets from npm: the packed tarball synthesizes a stack with neither esbuild
// nor Docker, because the authorizer ships prebuilt inside it.
const root = join(__dirname, '..', '..');

describe('the packed npm tarball', () => {
  let work: string;
  let files: string[];

  beforeAll(() => {
    if (!existsSync(join(root, 'lib', 'index.js'))) {
      throw new Error('lib/ is missing: this test packs the compiled library. Run "npx projen build" (or "npx projen compile" first).');
    }
    work = mkdtempSync(join(tmpdir(), 'packed-tarball-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    files = packed[0].files.map((f: { path: string }) => f.path);
    const app = join(work, 'app');
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, 'cdk-auth0-protected-api'), { recursive: true });
    execFileSync('tar', ['-xzf', join(work, packed[0].filename), '-C', join(modules, 'cdk-auth0-protected-api'), '--strip-components=1']);
    // The peer dependencies a user already has; taken from this checkout to stay offline.
    for (const peer of ['aws-cdk-lib', 'constructs']) symlinkSync(join(root, 'node_modules', peer), join(modules, peer), 'dir');
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
    expect(files).toContain('lib/index.js');
    expect(files).toContain('.jsii');
  });

  test('synthesizes a stack with neither esbuild nor Docker on the PATH', () => {
    const app = join(work, 'app');
    // A PATH holding node alone: no esbuild, no docker, no npx.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    execFileSync(join(bin, 'node'), ['app.js'], { cwd: app, env: { PATH: bin, HOME: work }, stdio: 'pipe' });
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'Packed.template.json'), 'utf8'));
    const authorizers = Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    const assets = JSON.parse(readFileSync(join(app, 'cdk.out', 'Packed.assets.json'), 'utf8'));
    const staged = Object.values(assets.files as Record<string, { source: { path: string } }>).map((f) => join(app, 'cdk.out', f.source.path));
    expect(staged.some((dir) => existsSync(join(dir, 'index.mjs')) && existsSync(join(dir, 'config.json')))).toBe(true);
  });
});
