/**
 * The kept assembly (node_modules/.cache/cdk-auth0-protected-api) is reused only for the app it was
 * synthesized from, with the same source files as then: not for another app folder that shares
 * node_modules, not after a source file was deleted, and not after a file was replaced by one
 * whose modification time is older (a copy that keeps times, an archive, a checkout tool).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Auth0ProtectedApi } from '../../src';
import { startLocalCommand } from '../support/local-command';

/** The app copies an assembly synthesized here by aws-cdk-lib and counts its runs. */
const APP = `
const { cpSync, appendFileSync } = require('fs');
cpSync(__dirname + '/prebuilt', process.env.CDK_OUTDIR, { recursive: true });
appendFileSync(__dirname + '/runs.txt', 'run\\n');
`;

const HOUR_AGO = new Date(Date.now() - 3_600_000);

/** An app folder whose one protected route is `route`; its files dated an hour ago, as a checkout from earlier. */
function appFolder(route: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-reuse-'));
  const app = new App({ outdir: join(dir, 'prebuilt'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const api = new Auth0ProtectedApi(new Stack(app, 'Shop'), 'Api', { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' });
  api.addRoute(route, new MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode":200}' } }));
  app.synth();
  mkdirSync(join(dir, 'lib'));
  for (const [file, text] of [['app.js', APP], ['lib/extra.js', '// a source file\n'],
    ['cdk.json', JSON.stringify({ app: 'node app.js', watch: { include: ['**'], exclude: ['runs.txt', 'prebuilt'] } })]]) {
    writeFileSync(join(dir, file), text);
    utimesSync(join(dir, file), HOUR_AGO, HOUR_AGO);
  }
  return dir;
}

const runs = (dir: string) => (existsSync(join(dir, 'runs.txt')) ? readFileSync(join(dir, 'runs.txt'), 'utf8').split('\n').filter(Boolean).length : 0);

/** Starts the command in `dir`, asks for `path` without a token, stops it; resolves with the status and the output. */
async function statusOf(dir: string, path: string): Promise<{ status: number; output: string }> {
  const command = await startLocalCommand(['--port', '0', '--issuer-port', '0'], dir);
  const base = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(command.output())![1];
  const { status } = await fetch(`${base}${path}`);
  expect(await command.stop()).toBe(0);
  return { status, output: command.output() };
}

describe('the kept assembly is reused only for the same app and the same sources', () => {
  const dirs: string[] = [];
  const folder = (route: string) => { const dir = appFolder(route); dirs.push(dir); return dir; };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('another app folder whose node_modules is the same folder (a symlink) is synthesized, not served the first app', async () => {
    const orders = folder('GET /orders');
    const invoices = folder('GET /invoices');
    mkdirSync(join(orders, 'node_modules'));
    symlinkSync(join(orders, 'node_modules'), join(invoices, 'node_modules'));
    expect((await statusOf(orders, '/orders')).status).toBe(401);
    // The invoices app protects /invoices: 401 without a token. The orders app has no such route: 403.
    expect((await statusOf(invoices, '/invoices')).status).toBe(401);
    expect(runs(invoices)).toBe(1);
  }, 120_000);

  test('a source file deleted since makes it synthesize again', async () => {
    const dir = folder('GET /orders');
    mkdirSync(join(dir, 'node_modules'));
    await statusOf(dir, '/orders');
    expect(runs(dir)).toBe(1);
    unlinkSync(join(dir, 'lib', 'extra.js'));
    const { output } = await statusOf(dir, '/orders');
    expect(runs(dir)).toBe(2);
    expect(output).not.toContain('Reusing');
  }, 120_000);

  test('a source file replaced by one with an older modification time makes it synthesize again', async () => {
    const dir = folder('GET /orders');
    mkdirSync(join(dir, 'node_modules'));
    await statusOf(dir, '/orders');
    writeFileSync(join(dir, 'lib', 'extra.js'), '// another version of the source file, restored with its old time\n');
    const older = new Date(HOUR_AGO.getTime() - 3_600_000);
    utimesSync(join(dir, 'lib', 'extra.js'), older, older);
    await statusOf(dir, '/orders');
    expect(runs(dir)).toBe(2);
  }, 120_000);

  test('unchanged sources are still reused', async () => {
    const dir = folder('GET /orders');
    mkdirSync(join(dir, 'node_modules'));
    await statusOf(dir, '/orders');
    const { output } = await statusOf(dir, '/orders');
    expect(runs(dir)).toBe(1);
    expect(output).toMatch(/Reusing the app as synthesized at/);
  }, 120_000);
});
