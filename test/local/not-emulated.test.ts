/**
 * What the local gateway cannot run answers 501 naming the integration and why, after
 * authorization as API Gateway would do it, never a made-up success.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsIntegration, LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { RunningApi } from '../../local/api-kind';
import { readCloudAssembly } from '../../local/cloud-assembly';
import { LocalIssuer } from '../../local/issuer/local-issuer';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { REST_API_KIND } from '../../local/rest-api/rest-api-kind';
import { Auth0ProtectedApi } from '../../src';

const AUDIENCE = 'https://api.acme.com';

describe('integrations the local gateway cannot run', () => {
  let work: string;
  let issuer: LocalIssuer;
  let functions: FunctionRunner;
  let running: RunningApi;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'local-501-'));
    const app = new App({ outdir: join(work, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'S');
    const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.eu.auth0.com', audience: AUDIENCE });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('apigateway.amazonaws.com') });
    api.addRoute('POST /queue', new AwsIntegration({ service: 'sqs', path: '123456789012/orders', options: { credentialsRole: role } }), { scopes: ['write:queue'] });
    const python = new LambdaFunction(stack, 'Py', { runtime: Runtime.PYTHON_3_12, handler: 'index.handler', code: Code.fromInline('def handler(e, c):\n  return {}') });
    api.addRoute('GET /py', new LambdaIntegration(python), { scopes: ['read:py'] });
    app.synth();
    const [found] = readCloudAssembly(join(work, 'cdk.out')).flatMap((s) => REST_API_KIND.find(s));
    issuer = await LocalIssuer.start({ audiences: [AUDIENCE], defaultAudience: AUDIENCE });
    functions = new FunctionRunner();
    running = await found.serve({ issuer, port: 0, functions, workDir: work, log: () => undefined, onActivity: () => undefined });
    expect(found.routes()).toEqual(expect.arrayContaining([
      { method: 'POST', path: '/queue', access: { notEmulated: expect.stringMatching(/^AWS: an AWS service integration/) } },
      { method: 'GET', path: '/py', access: { notEmulated: expect.stringMatching(/^AWS_PROXY: function Py\w+ runs on python3\.12/) } },
    ]));
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await functions?.stop();
    await issuer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const call = (method: string, path: string, scope?: string) => fetch(`${running.baseUrl}${path}`, {
    method,
    headers: scope === undefined ? {} : { authorization: `Bearer ${issuer.issueClientCredentialsToken({ scope })}` },
  });

  test('an AWS service integration: 501 naming it, and still 401 without a token', async () => {
    expect((await call('POST', '/queue')).status).toBe(401);
    const response = await call('POST', '/queue', 'write:queue');
    expect(response.status).toBe(501);
    expect(response.headers.get('x-local-gateway')).toBe('not-emulated');
    expect(await response.json()).toEqual({ message: expect.stringMatching(/^AWS integration of POST \/queue is not run locally: an AWS service integration calls an AWS API/) });
  });

  test('a function on another runtime: 501 naming the runtime', async () => {
    const response = await call('GET', '/py', 'read:py');
    expect(response.status).toBe(501);
    expect(await response.json()).toEqual({ message: expect.stringMatching(/^AWS_PROXY integration of GET \/py is not run locally: function Py\w+ runs on python3\.12; only Node\.js functions run locally/) });
  });
});
