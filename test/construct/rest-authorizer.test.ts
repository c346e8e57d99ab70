import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { keepForLint, readAuthorizerAsset } from './synth';
import { Auth0RestAuthorizer, Auth0RestAuthorizerProps } from '../../src';
import { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

const PROPS: Auth0RestAuthorizerProps = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

function setup() {
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

function synth(app: App, stack: Stack): { template: Template; config: AuthorizerConfig } {
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template;
  keepForLint(json);
  const template = Template.fromJSON(json);
  return { template, config: readAuthorizerAsset(template, assembly.directory).config };
}

const routesOf = (config: AuthorizerConfig) => config.routes.map((r) => `${r.method} ${r.path} ${r.scopes.join(',')}`.trim()).sort();

describe('Auth0RestAuthorizer', () => {
  test('is an authorizer for addMethod; its route table is the methods that use it, with withScopes scopes (all of)', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', { ...PROPS, requiredScopes: ['api'] });
    const api = new RestApi(stack, 'Api');
    const orders = api.root.addResource('orders');
    orders.addMethod('GET', new MockIntegration(), { authorizer: auth });
    orders.addMethod('POST', new MockIntegration(), { authorizer: auth.withScopes('write:orders', 'audit') });
    api.root.addResource('health').addMethod('GET', new MockIntegration());

    const { template, config } = synth(app, stack);
    expect(routesOf(config)).toEqual(['GET /orders api', 'POST /orders api,audit,write:orders']);
    const authorizerIds = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'));
    expect(authorizerIds).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', RestApiId: { Ref: Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0] } });
    const custom = template.findResources('AWS::ApiGateway::Method', { Properties: { AuthorizationType: 'CUSTOM' } });
    expect(Object.values(custom).map((m) => m.Properties.AuthorizerId)).toEqual([{ Ref: authorizerIds[0] }, { Ref: authorizerIds[0] }]);
    expect(auth.protectedRoutes.sort()).toEqual(['GET /orders', 'POST /orders']);
  });

  test('works in defaultMethodOptions, added before and after; CORS preflight stays without it', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api', {
      defaultMethodOptions: { authorizer: auth },
      defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'] },
    });
    api.root.addResource('a').addMethod('GET');
    api.root.addResource('b').addProxy();
    const { config } = synth(app, stack);
    expect(routesOf(config)).toEqual(['ANY /b/{proxy+}', 'GET /a']);
  });

  test('overlapping routes with different scopes: the cache key carries method and resource path', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api');
    const item = api.root.addResource('items').addResource('{id}');
    item.addMethod('GET', new MockIntegration(), { authorizer: auth });
    item.addResource('secret').addMethod('GET', new MockIntegration(), { authorizer: auth.withScopes('admin') });
    const { template, config } = synth(app, stack);
    expect(config.policyScope).toBe('route');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath',
    });
  });

  test('without overlap the decision covers the API and is cached per token', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api');
    api.root.addResource('a').addMethod('GET', new MockIntegration(), { authorizer: auth });
    const { template, config } = synth(app, stack);
    expect(config.policyScope).toBe('api');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { IdentitySource: 'method.request.header.Authorization' });
  });

  test('refuses authorizationScopes, which API Gateway applies only to Cognito authorizers', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api');
    api.root.addResource('a').addMethod('GET', new MockIntegration(), { authorizer: auth, authorizationScopes: ['admin'] });
    expect(() => app.synth()).toThrow(/GET \/a .* sets authorizationScopes, which API Gateway applies only to Cognito authorizers.*auth.withScopes/);
  });

  test('refuses one authorizer on two REST APIs, naming the fix', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    new RestApi(stack, 'One').root.addMethod('GET', new MockIntegration(), { authorizer: auth });
    new RestApi(stack, 'Two').root.addMethod('GET', new MockIntegration(), { authorizer: auth });
    expect(() => app.synth()).toThrow(/methods of 2 REST APIs use it \(TestStack\/One, TestStack\/Two\).*Create one Auth0RestAuthorizer per REST API/);
  });

  test('fails when no method uses it', () => {
    const { app, stack } = setup();
    new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    new RestApi(stack, 'Api').root.addMethod('GET', new MockIntegration());
    expect(() => app.synth()).toThrow(/Auth0RestAuthorizer TestStack\/Auth: no method uses it/);
  });

  test('withScopes refuses a malformed scope, naming it', () => {
    const { stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    expect(() => auth.withScopes('read orders')).toThrow(/withScopes/);
  });

  test('the token props are checked as on the constructs', () => {
    const { stack } = setup();
    expect(() => new Auth0RestAuthorizer(stack, 'Auth', { audience: 'https://api.acme.com' })).toThrow(/domain|issuer/);
  });
});

describe('Auth0RestAuthorizer\'s function behind a foreign authorizer', () => {
  test('fails synthesis naming the supported ways', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api');
    api.root.addResource('a').addMethod('GET', new MockIntegration(), { authorizer: auth });
    const foreign = new TokenAuthorizer(stack, 'Foreign', { handler: auth.authorizerFunction });
    api.root.addResource('b').addMethod('GET', new MockIntegration(), { authorizer: foreign });
    expect(() => app.synth()).toThrow(/TestStack\/Foreign\/Resource calls the authorizer function of TestStack\/Auth.*Auth0RestAuthorizer or Auth0HttpAuthorizer/);
  });
});
