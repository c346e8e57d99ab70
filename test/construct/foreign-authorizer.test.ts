import { Fn, Stack } from 'aws-cdk-lib';
import { CfnAuthorizer, IdentitySource, MockIntegration, RequestAuthorizer, RestApi, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { CfnAuthorizer as CfnHttpAuthorizer, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { newHttpApi, url } from './http-api-synth';
import { integration, newApi } from './synth';

/**
 * The authorizer function of a construct knows only the routes of its own route table: wired by
 * hand behind another authorizer it would deny every request (or, worse, be trusted for routes it
 * never saw). Synthesis fails naming the supported ways.
 */

const SUPPORTED_WAYS = /addRoute.*restApi.*httpApi.*Auth0RestAuthorizer.*Auth0HttpAuthorizer/;

function lambdaUri(stack: Stack, fn: IFunction): string {
  return Fn.join('', ['arn:', stack.partition, ':apigateway:', stack.region, ':lambda:path/2015-03-31/functions/', fn.functionArn, '/invocations']);
}

describe('REST construct\'s function behind a foreign authorizer', () => {
  test('a TokenAuthorizer on another REST API fails synthesis, naming it and the supported ways', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new RestApi(stack, 'Other');
    other.root.addMethod('GET', new MockIntegration(), { authorizer: new TokenAuthorizer(stack, 'Foreign', { handler: api.authorizerFunction }) });
    expect(() => app.synth()).toThrow(new RegExp(`AWS::ApiGateway::Authorizer TestStack/Foreign/Resource calls the authorizer function of TestStack/Api.*${SUPPORTED_WAYS.source}`));
  });

  test('a RequestAuthorizer on the construct\'s own REST API fails synthesis too', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const foreign = new RequestAuthorizer(stack, 'ForeignRequest', { handler: api.authorizerFunction, identitySources: [IdentitySource.header('Authorization')] });
    const method = api.restApi.root.addResource('mine').addMethod('GET', integration(), { authorizer: foreign });
    api.allowDirectMethod(method, 'protected by my own authorizer');
    expect(() => app.synth()).toThrow(/TestStack\/ForeignRequest\/Resource calls the authorizer function of TestStack\/Api/);
  });

  test('a raw CfnAuthorizer in another stack fails synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const otherApi = new RestApi(other, 'OtherApi');
    otherApi.root.addMethod('GET', new MockIntegration());
    new CfnAuthorizer(other, 'Raw', { restApiId: otherApi.restApiId, name: 'raw', type: 'TOKEN', identitySource: 'method.request.header.Authorization', authorizerUri: lambdaUri(other, api.authorizerFunction) });
    expect(() => app.synth()).toThrow(/AWS::ApiGateway::Authorizer Other\/Raw calls the authorizer function of TestStack\/Api/);
  });

  test('an HttpLambdaAuthorizer with the REST construct\'s function fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const httpApi = new HttpApi(stack, 'Http');
    httpApi.addRoutes({ path: '/x', methods: [HttpMethod.GET], integration: url(), authorizer: new HttpLambdaAuthorizer('Foreign', api.authorizerFunction) });
    expect(() => app.synth()).toThrow(/AWS::ApiGatewayV2::Authorizer TestStack\/Http\/Foreign\/Resource calls the authorizer function of TestStack\/Api/);
  });
});

describe('HTTP construct\'s function behind a foreign authorizer', () => {
  test('an HttpLambdaAuthorizer on another HTTP API fails synthesis, naming the supported ways', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    const other = new HttpApi(stack, 'Other');
    other.addRoutes({ path: '/x', methods: [HttpMethod.GET], integration: url(), authorizer: new HttpLambdaAuthorizer('Foreign', api.authorizerFunction) });
    expect(() => app.synth()).toThrow(new RegExp(`TestStack/Other/Foreign/Resource calls the authorizer function of TestStack/Api.*${SUPPORTED_WAYS.source}`));
  });

  test('a raw ApiGatewayV2 CfnAuthorizer fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new CfnHttpAuthorizer(stack, 'Raw', {
      apiId: api.httpApi.apiId,
      name: 'raw',
      authorizerType: 'REQUEST',
      authorizerPayloadFormatVersion: '2.0',
      authorizerUri: lambdaUri(stack, api.authorizerFunction),
      identitySource: ['$request.header.Authorization'],
    });
    expect(() => app.synth()).toThrow(/AWS::ApiGatewayV2::Authorizer TestStack\/Raw calls the authorizer function of TestStack\/Api/);
  });

  test('a TokenAuthorizer with the HTTP construct\'s function fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    const rest = new RestApi(stack, 'Rest');
    rest.root.addMethod('GET', new MockIntegration(), { authorizer: new TokenAuthorizer(stack, 'Foreign', { handler: api.authorizerFunction }) });
    expect(() => app.synth()).toThrow(/TestStack\/Foreign\/Resource calls the authorizer function of TestStack\/Api/);
  });
});

test('the constructs\' own authorizers are not foreign', () => {
  const rest = newApi();
  rest.api.addRoute('GET /things', integration());
  expect(() => rest.app.synth()).not.toThrow();
  const http = newHttpApi();
  http.api.addRoute('GET /things', url());
  expect(() => http.app.synth()).not.toThrow();
});
