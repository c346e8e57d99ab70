import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAuthorizer as CfnRestAuthorizer, CfnRestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnApi, CfnAuthorizer as CfnHttpAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { newHttpApi, url } from './http-api-synth';
import { integration, newApi } from './synth';

/**
 * The authorizer and the API resource of each construct are read as they will deploy: an
 * override that breaks route-correct caching, swaps the function or the cache TTL, or adds an
 * OpenAPI definition (whose methods or routes no check would see) fails synthesis.
 */

const authorizerOf = <T extends CfnResource>(stack: Stack, type: new (...args: never[]) => T): T =>
  stack.node.findAll().find((c) => c instanceof type) as T;

function otherFunction(stack: Stack): LambdaFunction {
  return new LambdaFunction(stack, 'Other', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
}

/** A REST route table whose policies would reach across routes, so the cache key must carry method and resource path. */
function restInRouteMode() {
  const made = newApi();
  made.api.addRoute('GET /items/{id}', integration());
  made.api.addRoute('GET /items/{id}/secret', integration(), { scopes: ['admin'] });
  return made;
}

describe('REST: the construct\'s authorizer as rendered', () => {
  test('in route mode, an IdentitySource override without method and resource path fails synthesis', () => {
    const { app, stack } = restInRouteMode();
    authorizerOf(stack, CfnRestAuthorizer).addPropertyOverride('IdentitySource', 'method.request.header.Authorization');
    expect(() => app.synth()).toThrow(/RequestAuthorizer\/Resource\) deploys with IdentitySource "method.request.header.Authorization", which lacks context.httpMethod, context.resourcePath.*cached decision/);
  });

  test('an L1 identitySource edit without the Authorization header fails synthesis, in either mode', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    authorizerOf(stack, CfnRestAuthorizer).identitySource = 'method.request.header.Host';
    expect(() => app.synth()).toThrow(/IdentitySource "method.request.header.Host", which lacks method.request.header.Authorization/);
  });

  test('the route-mode identity source the construct sets is accepted', () => {
    const { app } = restInRouteMode();
    expect(() => app.synth()).not.toThrow();
  });

  test('a TOKEN type, another function or another cache TTL by override fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const authorizer = authorizerOf(stack, CfnRestAuthorizer);
    authorizer.addPropertyOverride('Type', 'TOKEN');
    authorizer.addPropertyOverride('AuthorizerResultTtlInSeconds', 3600);
    authorizer.addPropertyOverride('AuthorizerUri', otherFunction(stack).functionArn);
    expect(() => app.synth()).toThrow(/Type "TOKEN", expected "REQUEST"[\s\S]*AuthorizerResultTtlInSeconds 3600, expected 300.*authorizerCacheTtl[\s\S]*AuthorizerUri does not call this construct's authorizer function/);
  });

  test.each([
    ['Body', { openapi: '3.0.1', info: { title: 'admin', version: '1' } }],
    ['BodyS3Location', { Bucket: 'definitions', Key: 'admin.yaml' }],
    ['CloneFrom', 'abc123'],
  ])('%s added to the CfnRestApi by override fails synthesis', (property, value) => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    (api.restApi.node.defaultChild as CfnRestApi).addPropertyOverride(property, value);
    expect(() => app.synth()).toThrow(new RegExp(`restApi \\(TestStack/Api/Api/Resource\\) deploys with ${property}.*no check can see`));
  });
});

describe('HTTP API: the construct\'s authorizer as rendered', () => {
  test('an IdentitySource override without $context.routeKey fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    authorizerOf(stack, CfnHttpAuthorizer).addPropertyOverride('IdentitySource', ['$request.header.Authorization']);
    expect(() => app.synth()).toThrow(/RequestAuthorizer\/Resource\) deploys with IdentitySource "\$request.header.Authorization", which lacks \$context.routeKey/);
  });

  test('policy responses, another payload version or another function by override fail synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    const authorizer = authorizerOf(stack, CfnHttpAuthorizer);
    authorizer.addPropertyOverride('EnableSimpleResponses', false);
    authorizer.addPropertyOverride('AuthorizerPayloadFormatVersion', '1.0');
    authorizer.addPropertyOverride('AuthorizerUri', otherFunction(stack).functionArn);
    expect(() => app.synth()).toThrow(/AuthorizerPayloadFormatVersion "1.0", expected "2.0"[\s\S]*EnableSimpleResponses false, expected true[\s\S]*AuthorizerUri does not call/);
  });

  test.each([
    ['Body', { openapi: '3.0.1', paths: {} }],
    ['BodyS3Location', { Bucket: 'b', Key: 'k' }],
    ['Target', 'arn:aws:lambda:us-east-1:123456789012:function:backend'],
    ['RouteKey', 'ANY /{proxy+}'],
  ])('%s added to the CfnApi by override fails synthesis', (property, value) => {
    const { app, api } = newHttpApi();
    api.addRoute('GET /things', url());
    (api.httpApi.node.defaultChild as CfnApi).addPropertyOverride(property, value);
    expect(() => app.synth()).toThrow(new RegExp(`httpApi \\(TestStack/Api/Api/Resource\\) deploys with ${property}.*no check can see`));
  });
});
