/**
 * The command's refusals, in-process: unknown flags and subcommands, an app folder without an app,
 * an app without a protected API, a busy port. Each names the problem and exits non-zero, leaving
 * nothing running.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { runCommand } from '../../local/command';
import { Auth0ProtectedApi } from '../../src';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await new Promise<number>((resolve) => {
    void runCommand(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, exit: resolve });
  });
  return { code, out, err };
}

function synthesize(dir: string, build: (stack: Stack) => void): string {
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  build(new Stack(app, 'S'));
  app.synth();
  return join(dir, 'cdk.out');
}

describe('cdk-auth0-protected-api local refuses clearly', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-command-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('--help prints the options and exits 0', async () => {
    const { code, out } = await run(['local', '--help'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/--cdk-out <dir>/);
    expect(out).toMatch(/--idle-minutes <n>/);
  });

  test.each([
    [['local', '--prot', '3000'], /unknown option --prot/],
    [['local', '--port', 'x'], /--port needs a port number from 0 to 65535, got x/],
    [['local', '--idle-minutes', '0'], /--idle-minutes needs a positive number, got 0/],
    [['local', '--app', 'node a.js', '--cdk-out', 'cdk.out'], /--app and --cdk-out exclude each other/],
    [['serve'], /unknown command serve/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { code, err } = await run(args, dir);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('a folder without cdk.json says how to point it at an app', async () => {
    const { code, err } = await run(['local'], dir);
    expect(code).toBe(1);
    expect(err).toMatch(/cdk\.json does not exist; pass --app "<command>" or --cdk-out <dir>/);
  });

  test('an app that fails to synthesize shows its output', async () => {
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node -e "console.error(\'boom in the app\'); process.exit(3)"' }));
    const { code, err } = await run(['local'], dir);
    expect(code).toBe(1);
    expect(err).toMatch(/exited with 3:\nboom in the app/);
  });

  test('an app without an API of this library is refused, not served empty', async () => {
    const out = synthesize(dir, (stack) => new RestApi(stack, 'Plain').root.addMethod('GET', new MockIntegration()));
    const { code, err } = await run(['local', '--cdk-out', out], dir);
    expect(code).toBe(1);
    expect(err).toMatch(/no API protected by cdk-auth0-protected-api in 1 stack\(s\)/);
  });

  test('a busy port is named, with the flags to choose another', async () => {
    const out = synthesize(dir, (stack) => {
      const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' });
      api.addRoute('GET /x', new MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode":200}' } }), { scopes: ['read:x'] });
    });
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (busy.address() as AddressInfo).port;
      const { code, err, out: printed } = await run(['local', '--cdk-out', out, '--port', String(port), '--issuer-port', '0'], dir);
      expect(code).toBe(1);
      expect(err).toMatch(new RegExp(`a port is in use .*127\\.0\\.0\\.1:${port}.*choose others with --port and --issuer-port`));
      expect(printed).toContain('Stopping (start-up failed).');
    } finally {
      busy.close();
    }
  });
});
