/**
 * A function's execution environment ends with everything in it: Lambda leaves no process a
 * handler started once the environment is gone. Locally, a process a backend spawned goes with its
 * function process: when the command stops (Ctrl-C), when the function times out and its process is
 * killed, when the function process exits by itself, and when the command is killed outright.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Auth0ProtectedApi } from '../../src';
import { alive, startLocalCommand, type RunningCommand } from '../support/local-command';

/** Spawns a long-running helper process (as a backend shelling out would) and answers with its pid; `then` chooses what follows. */
const BACKEND = `
const { spawn } = require('child_process');
exports.handler = async (event) => {
  const then = (event.pathParameters || {}).then;
  const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  if (then === 'spin') { require('fs').writeFileSync(process.env.PID_FILE, String(helper.pid)); for (;;) {} }
  if (then === 'exit') setTimeout(() => process.exit(2), 50);
  return { statusCode: 200, body: JSON.stringify({ helper: helper.pid }) };
};
`;

async function gone(pid: number, withinMs = 3_000): Promise<boolean> {
  for (let waited = 0; waited < withinMs && alive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('processes a backend starts end with its function process', () => {
  let dir: string;
  let command: RunningCommand | undefined;
  let base: string;
  const helpers: number[] = [];

  const start = async () => {
    command = await startLocalCommand(['--cdk-out', join(dir, 'cdk.out'), '--port', '0', '--issuer-port', '0'], dir, { ...process.env, TMPDIR: dir });
    base = /REST API \S+\s+(http:\/\/127\.0\.0\.1:\d+\/prod)/.exec(command.output())![1];
  };
  const helperOf = async (then: string) => {
    const response = await fetch(`${base}/run/${then}`);
    expect(response.status).toBe(200);
    const { helper } = JSON.parse(await response.text()) as { helper: number };
    helpers.push(helper);
    expect(alive(helper)).toBe(true);
    return helper;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'function-process-tree-'));
    const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Rest');
    const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com', publicRoutes: ['GET /run/{then}'] });
    const backend = new LambdaFunction(stack, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline(BACKEND),
      timeout: Duration.seconds(1),
      environment: { PID_FILE: join(dir, 'spin-helper.pid') },
    });
    api.addRoute('GET /run/{then}', new LambdaIntegration(backend));
    api.addRoute('GET /private', new LambdaIntegration(backend), { scopes: ['read:private'] });
    app.synth();
  });

  afterEach(async () => {
    await command?.stop();
    command = undefined;
  });

  afterAll(() => {
    for (const pid of helpers.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('Ctrl-C: the process a backend started is gone too', async () => {
    await start();
    const helper = await helperOf('return');
    expect(await command!.stop()).toBe(0);
    expect(await gone(helper)).toBe(true);
  }, 60_000);

  test('a function process that exits by itself takes what it started with it', async () => {
    await start();
    const helper = await helperOf('exit');
    expect(await gone(helper)).toBe(true);
  }, 60_000);

  test('a function killed after its timeout takes what it started with it', async () => {
    await start();
    expect((await fetch(`${base}/run/spin`)).status).toBe(502);
    const helper = Number(readFileSync(join(dir, 'spin-helper.pid'), 'utf8'));
    helpers.push(helper);
    expect(await gone(helper)).toBe(true);
  }, 60_000);

  test('a command killed outright leaves no process a backend started', async () => {
    await start();
    const helper = await helperOf('return');
    command!.child.kill('SIGKILL');
    await command!.exited;
    expect(await gone(helper, 5_000)).toBe(true);
  }, 60_000);
});
