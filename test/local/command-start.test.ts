/**
 * The command's first minute (issue 18 item 6), with the bundled command over an app whose `app`
 * command stands in for a slow synthesis (it copies an assembly synthesized here by aws-cdk-lib,
 * optionally after a pause, and counts its runs): progress while it synthesizes; the assembly kept
 * and reused while no source file changes, synthesized again after an edit or with `--synth`; and
 * `--stack` that matches nothing names the stacks there are.
 */
import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Auth0ProtectedApi } from '../../src';
import { CLI, startLocalCommand } from '../support/local-command';

const APP = `
const { cpSync, appendFileSync } = require('fs');
const pause = Number(process.env.SYNTH_PAUSE_MS ?? 0);
setTimeout(() => {
  cpSync(__dirname + '/prebuilt', process.env.CDK_OUTDIR, { recursive: true });
  appendFileSync(__dirname + '/runs.txt', 'run\\n');
}, pause);
`;

function prebuild(dir: string): void {
  const app = new App({ outdir: join(dir, 'prebuilt'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const api = new Auth0ProtectedApi(new Stack(app, 'Shop'), 'Api', { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' });
  api.addRoute('GET /orders', new MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode":200}' } }), { scopes: ['read:orders'] });
  app.synth();
}

/** Runs the command until it exits by itself (a refusal); resolves with its code and output. */
function runToExit(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'local', ...args], { cwd });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c; });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the local command\'s first minute', () => {
  let dir: string;
  const runs = () => (existsSync(join(dir, 'runs.txt')) ? readFileSync(join(dir, 'runs.txt'), 'utf8').split('\n').filter(Boolean).length : 0);
  const start = async (extra: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const command = await startLocalCommand(['--port', '0', '--issuer-port', '0', ...extra], dir, { ...process.env, ...env });
    const base = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(command.output())![1];
    // It serves what it found: the protected route refuses a request without a token.
    expect((await fetch(`${base}/orders`)).status).toBe(401);
    expect(await command.stop()).toBe(0);
    return command.output();
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'command-start-'));
    prebuild(dir);
    // An installed app has node_modules: the command keeps its assembly in node_modules/.cache.
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'app.js'), APP);
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js', watch: { include: ['**'], exclude: ['runs.txt', 'prebuilt'] } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the first start synthesizes and keeps the assembly', async () => {
    const output = await start();
    expect(runs()).toBe(1);
    expect(output).toMatch(/Synthesizing .* \("node app\.js"\) \.\.\.\nSynthesized in [\d.]+ s; kept in node_modules\/\.cache\/cdk-auth0-protected-api\/cdk\.out/);
  }, 60_000);

  test('the next start reuses it while no source file changed', async () => {
    const output = await start();
    expect(runs()).toBe(1);
    expect(output).toMatch(/Reusing the app as synthesized at \d\d:\d\d:\d\d: no source file changed since \(--synth to synthesize anyway\)/);
    expect(output).not.toContain('Synthesizing');
  }, 60_000);

  test('an edited source file makes it synthesize again', async () => {
    const later = new Date(Date.now() + 1_000);
    utimesSync(join(dir, 'app.js'), later, later);
    await start();
    expect(runs()).toBe(2);
  }, 60_000);

  test('--synth synthesizes anyway, and a slow synthesis shows that it is still running', async () => {
    const output = await start(['--synth'], { SYNTH_PAUSE_MS: '3500' });
    expect(runs()).toBe(3);
    expect(output).toMatch(/Synthesizing .*\n {2}still synthesizing \(3 s\)\nSynthesized in [\d.]+ s/);
  }, 60_000);

  test('--stack that matches nothing names the stacks it found', async () => {
    const { code, output } = await runToExit(['--stack', 'Nope', '--port', '0', '--issuer-port', '0'], dir);
    expect(code).toBe(1);
    expect(output).toMatch(/--stack Nope matches none of the 1 stack\(s\) of .*: Shop\n/);
  }, 60_000);
});
