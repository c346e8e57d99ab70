/**
 * Routing and API Gateway's own answers, as AWS gives them (issue 18 item 2), on templates
 * synthesized by aws-cdk-lib and run by the local gateways with real function processes: a trailing
 * slash reaches the bare route; REST 403 `MissingAuthenticationTokenException` for no route, 500
 * `{"message": null}` `AuthorizerConfigurationException` for an authorizer that fails, times out or
 * answers malformed, 401 without invoking for a missing identity source; HTTP API 404, 401 without
 * invoking, 500. The authorizer here is a stand-in whose behaviour the request's `x-mode` chooses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AuthorizationType, IdentitySource, LambdaIntegration, RequestAuthorizer, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LocalHttpApi } from '../../local/http-api/gateway';
import { readHttpApis } from '../../local/http-api/template';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { GatewaySimulator } from '../../local/rest-api/gateway';
import { readTemplateApi } from '../../local/rest-api/template-api';

/** Answers by `x-mode`: allow, unauthorized, throw, malformed, spin. REST and HTTP API (simple response) alike. */
const AUTHORIZER = `
exports.handler = async (event) => {
  const headers = event.headers || {};
  const mode = headers['x-mode'] || headers['X-Mode'];
  if (mode === 'unauthorized') throw new Error('Unauthorized');
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'spin') for (;;) {}
  if (mode === 'malformed') return event.version === '2.0' ? { allowed: 'yes' } : { principalId: 'u' };
  if (event.version === '2.0') return { isAuthorized: true, context: { sub: 'u' } };
  return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } };
};
`;
const BACKEND = `
exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.path ?? event.rawPath, resource: event.resource ?? event.routeKey, pathParameters: event.pathParameters ?? null }) });
`;

function synthesize(dir: string) {
  for (const [name, code] of [['authorizer', AUTHORIZER], ['backend', BACKEND]]) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'index.js'), code);
  }
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const fn = (stack: Stack, id: string, folder: string) => new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(join(dir, folder)), timeout: Duration.seconds(1),
  });
  const rest = new Stack(app, 'Rest');
  const api = new RestApi(rest, 'Api', { deployOptions: { stageName: 'prod' } });
  // No result cache: API Gateway still refuses a request without the identity source by itself.
  const authorizer = new RequestAuthorizer(rest, 'Authorizer', { handler: fn(rest, 'AuthorizerFn', 'authorizer'), identitySources: [IdentitySource.header('Authorization')], resultsCacheTtl: Duration.seconds(0) });
  const backend = new LambdaIntegration(fn(rest, 'Backend', 'backend'));
  const options = { authorizer, authorizationType: AuthorizationType.CUSTOM };
  api.root.addResource('colors').addMethod('GET', backend, options);
  api.root.addResource('files').addResource('{proxy+}').addMethod('GET', backend, options);
  const http = new Stack(app, 'Http');
  const httpApi = new HttpApi(http, 'Api');
  const httpAuthorizer = new HttpLambdaAuthorizer('Authorizer', fn(http, 'AuthorizerFn', 'authorizer'), {
    responseTypes: [HttpLambdaResponseType.SIMPLE], identitySource: ['$request.header.Authorization'], resultsCacheTtl: Duration.seconds(0),
  });
  const httpBackend = new HttpLambdaIntegration('Backend', fn(http, 'Backend', 'backend'));
  httpApi.addRoutes({ path: '/colors', methods: [HttpMethod.GET], integration: httpBackend, authorizer: httpAuthorizer });
  httpApi.addRoutes({ path: '/files/{proxy+}', methods: [HttpMethod.GET], integration: httpBackend, authorizer: httpAuthorizer });
  const assembly = app.synth();
  return { rest: assembly.getStackByName('Rest'), http: assembly.getStackByName('Http') };
}

describe('API Gateway\'s own answers and routing, emulated', () => {
  let dir: string;
  let functions: FunctionRunner;
  let rest: GatewaySimulator;
  let http: LocalHttpApi;
  let httpAuthorizerCalls = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aws-error-responses-'));
    const stacks = synthesize(dir);
    functions = new FunctionRunner();
    rest = await GatewaySimulator.start(readTemplateApi(stacks.rest.template, stacks.rest.assembly.directory), { functions });
    const [httpApi] = readHttpApis(stacks.http.template, stacks.http.assembly.directory);
    http = new LocalHttpApi({
      api: httpApi,
      functions,
      invokeAuthorizer: (authorizer, event) => {
        httpAuthorizerCalls++;
        return functions.invoke(httpApi.functions.get(authorizer.functionLogicalId!)!, event);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await rest?.stop();
    await functions?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const restCall = (path: string, mode?: string, authorization: string | null = 'Bearer x') =>
    rest.handle({ method: 'GET', path, headers: { ...(authorization ? { Authorization: authorization } : {}), ...(mode ? { 'x-mode': mode } : {}) } });
  const httpCall = (path: string, mode?: string, authorization: string | null = 'Bearer x') =>
    http.handle({ method: 'GET', path, headers: { ...(authorization ? { authorization } : {}), ...(mode ? { 'x-mode': mode } : {}) } });

  describe('REST API', () => {
    test('a trailing slash reaches the bare route; the event keeps the path as sent', async () => {
      const response = await restCall('/colors/');
      expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({ status: 200, body: { path: '/colors/', resource: '/colors', pathParameters: null } });
    });

    test('{proxy+} receives the value without the trailing slash', async () => {
      const response = await restCall('/files/a/b/');
      expect(JSON.parse(response.body)).toMatchObject({ resource: '/files/{proxy+}', pathParameters: { proxy: 'a/b' } });
    });

    test.each(['/nowhere', '/colors/red', '/colors//'])('no route (%s): 403 Missing Authentication Token, MissingAuthenticationTokenException', async (path) => {
      const response = await restCall(path);
      expect({ status: response.status, body: JSON.parse(response.body), type: response.headers['x-amzn-errortype'] })
        .toEqual({ status: 403, body: { message: 'Missing Authentication Token' }, type: 'MissingAuthenticationTokenException' });
    });

    test.each(['throw', 'malformed', 'spin'])('an authorizer that answers %s: 500 {"message": null}, AuthorizerConfigurationException', async (mode) => {
      const response = await restCall('/colors', mode);
      expect({ status: response.status, body: JSON.parse(response.body), type: response.headers['x-amzn-errortype'] })
        .toEqual({ status: 500, body: { message: null }, type: 'AuthorizerConfigurationException' });
    }, 10_000);

    test('after an authorizer timed out, a fresh process decides the next request', async () => {
      expect((await restCall('/colors', 'spin')).status).toBe(500);
      expect((await restCall('/colors')).status).toBe(200);
    }, 10_000);

    test('an authorizer that rejects with exactly "Unauthorized": 401 UnauthorizedException', async () => {
      const response = await restCall('/colors', 'unauthorized');
      expect({ status: response.status, body: JSON.parse(response.body), type: response.headers['x-amzn-errortype'] })
        .toEqual({ status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' });
    });

    test('no identity source, cache off: 401 without invoking the authorizer', async () => {
      const before = rest.authorizerInvocations;
      const response = await restCall('/colors', undefined, null);
      expect({ status: response.status, step: response.authorizer }).toEqual({ status: 401, step: 'identity-missing' });
      expect(rest.authorizerInvocations).toBe(before);
    });
  });

  describe('HTTP API', () => {
    test('a trailing slash reaches the bare route; {proxy+} gets the value without it', async () => {
      const colors = await httpCall('/colors/');
      expect({ status: colors.status, body: JSON.parse(colors.body) }).toEqual({ status: 200, body: { path: '/colors/', resource: 'GET /colors', pathParameters: null } });
      expect(JSON.parse((await httpCall('/files/a/b/')).body)).toMatchObject({ pathParameters: { proxy: 'a/b' } });
    });

    test('no route: 404 {"message":"Not Found"}', async () => {
      const response = await httpCall('/nowhere');
      expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: '{"message":"Not Found"}' });
    });

    test('no identity source: 401 {"message":"Unauthorized"} without invoking the authorizer', async () => {
      const before = httpAuthorizerCalls;
      const response = await httpCall('/colors', undefined, null);
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
      expect(httpAuthorizerCalls).toBe(before);
    });

    test.each(['throw', 'malformed', 'spin'])('an authorizer that answers %s: 500 {"message":"Internal Server Error"}', async (mode) => {
      const response = await httpCall('/colors', mode);
      expect({ status: response.status, body: response.body }).toEqual({ status: 500, body: '{"message":"Internal Server Error"}' });
    }, 10_000);
  });
});
