import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { url } from './http-api-synth';
import { keepForLint, readAuthorizerAsset } from './synth';
import { Auth0HttpAuthorizer, Auth0HttpAuthorizerProps } from '../../src';
import { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

const PROPS: Auth0HttpAuthorizerProps = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

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

const keysOf = (config: AuthorizerConfig) => (config.httpRoutes ?? []).map((r) => `${r.routeKey} ${r.scopes.join(',')}`.trim()).sort();

describe('Auth0HttpAuthorizer', () => {
  test('is an authorizer for addRoutes; its route table is the routes bound to it, with withScopes scopes (all of)', () => {
    const { app, stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', { ...PROPS, requiredScopes: ['api'] });
    const httpApi = new HttpApi(stack, 'Api');
    httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url(), authorizer: auth });
    httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration: url(), authorizer: auth.withScopes('write:orders', 'audit') });
    httpApi.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: url() });

    const { template, config } = synth(app, stack);
    expect(keysOf(config)).toEqual(['GET /orders api', 'POST /orders api,audit,write:orders']);
    expect(config.routes).toEqual([]);
    const authorizers = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
    });
    const custom = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { AuthorizationType: 'CUSTOM' } });
    expect(Object.values(custom).map((r) => r.Properties.AuthorizerId)).toEqual([{ Ref: authorizers[0] }, { Ref: authorizers[0] }]);
    expect(auth.protectedRoutes.sort()).toEqual(['GET /orders', 'POST /orders']);
  });

  test('works as defaultAuthorizer, $default route included', () => {
    const { app, stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', PROPS);
    const httpApi = new HttpApi(stack, 'Api', { defaultAuthorizer: auth, defaultIntegration: url() });
    httpApi.addRoutes({ path: '/a/{proxy+}', methods: [HttpMethod.ANY], integration: url() });
    const { config } = synth(app, stack);
    expect(keysOf(config)).toEqual(['$default', 'ANY /a/{proxy+}']);
  });

  test('refuses authorizationScopes, which API Gateway applies only to JWT authorizers', () => {
    const { app, stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', PROPS);
    new HttpApi(stack, 'Api').addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: url(), authorizer: auth, authorizationScopes: ['admin'] });
    expect(() => app.synth()).toThrow(/route "GET \/a" .* sets authorizationScopes, which API Gateway applies only to JWT authorizers.*auth.withScopes/);
  });

  test('refuses one authorizer on two HTTP APIs, naming the fix', () => {
    const { stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', PROPS);
    new HttpApi(stack, 'One').addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: url(), authorizer: auth });
    expect(() => new HttpApi(stack, 'Two').addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: url(), authorizer: auth }))
      .toThrow(/routes of two HTTP APIs use it \(TestStack\/One, TestStack\/Two\).*Create one Auth0HttpAuthorizer per HTTP API/);
  });

  test('fails when no route uses it', () => {
    const { app, stack } = setup();
    new Auth0HttpAuthorizer(stack, 'Auth', PROPS);
    new HttpApi(stack, 'Api').addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: url() });
    expect(() => app.synth()).toThrow(/Auth0HttpAuthorizer TestStack\/Auth: no route uses it/);
  });

  test('withScopes refuses a malformed scope', () => {
    const { stack } = setup();
    expect(() => new Auth0HttpAuthorizer(stack, 'Auth', PROPS).withScopes('')).toThrow(/withScopes/);
  });
});

describe('Auth0HttpAuthorizer\'s function behind a foreign authorizer', () => {
  test('fails synthesis naming the supported ways', () => {
    const { app, stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', PROPS);
    const httpApi = new HttpApi(stack, 'Api');
    httpApi.addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: url(), authorizer: auth });
    httpApi.addRoutes({ path: '/b', methods: [HttpMethod.GET], integration: url(), authorizer: new HttpLambdaAuthorizer('Foreign', auth.authorizerFunction) });
    expect(() => app.synth()).toThrow(/Foreign.* calls the authorizer function of TestStack\/Auth.*Auth0RestAuthorizer or Auth0HttpAuthorizer/);
  });
});
