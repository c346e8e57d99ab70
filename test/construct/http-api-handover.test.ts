import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnRoute, HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HTTP_BASE_PROPS, url } from './http-api-synth';
import { keepForLint, readAuthorizerAsset } from './synth';
import { Auth0ProtectedHttpApi, Auth0ProtectedHttpApiProps } from '../../src';
import { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

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

function protect(stack: Stack, httpApi: HttpApi, props: Partial<Auth0ProtectedHttpApiProps> = {}): Auth0ProtectedHttpApi {
  return new Auth0ProtectedHttpApi(stack, 'Auth', { ...HTTP_BASE_PROPS, httpApi, ...props });
}

function routeProps(template: Template, routeKey: string) {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
  expect(routes).toHaveLength(1);
  return routes[0].Properties;
}

const keysOf = (config: AuthorizerConfig) => (config.httpRoutes ?? []).map((r) => `${r.routeKey} ${r.scopes.join(',')}`.trim()).sort();

describe('a handed-over HttpApi', () => {
  test('protects routes added before and after the construct, through addRoutes, new HttpRoute, defaultIntegration and addRoute', () => {
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing', { defaultIntegration: url() });
    httpApi.addRoutes({ path: '/before', methods: [HttpMethod.GET], integration: url() });
    const api = protect(stack, httpApi);
    httpApi.addRoutes({ path: '/after', methods: [HttpMethod.POST, HttpMethod.PUT], integration: url() });
    new HttpRoute(stack, 'Direct', { httpApi, routeKey: HttpRouteKey.with('/direct', HttpMethod.DELETE), integration: url() });
    api.addRoute('GET /routed', url(), { scopes: ['read:routed'] });

    const { template, config } = synth(app, stack);
    expect(api.httpApi).toBe(httpApi);
    const authorizers = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    for (const key of ['$default', 'GET /before', 'POST /after', 'PUT /after', 'DELETE /direct', 'GET /routed']) {
      expect(routeProps(template, key)).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizers[0] } });
    }
    expect(keysOf(config)).toEqual(['$default', 'DELETE /direct', 'GET /before', 'GET /routed read:routed', 'POST /after', 'PUT /after']);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
  });

  test('the authorizer caches per route key', () => {
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing');
    httpApi.addRoutes({ path: '/x', methods: [HttpMethod.GET], integration: url() });
    protect(stack, httpApi);
    const { template } = synth(app, stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['$request.header.Authorization', '$context.routeKey'] });
  });

  test('a route listed in publicRoutes stays open; requireScopes adds scopes to an owner route', () => {
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing');
    httpApi.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: url() });
    const [orders] = httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration: url() });
    const api = protect(stack, httpApi, { publicRoutes: ['GET /health'], requiredScopes: ['api'] });
    api.requireScopes(orders, ['write:orders']);
    const { template, config } = synth(app, stack);
    expect(routeProps(template, 'GET /health')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(keysOf(config)).toEqual(['POST /orders api,write:orders']);
  });

  test('requireScopes is refused, never ignored, on a route the construct already decided or left to its own authorization', () => {
    const { stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing');
    const api = protect(stack, httpApi);
    const [routed] = api.addRoute('GET /routed', url());
    expect(() => api.requireScopes(routed, ['admin'])).toThrow(/requireScopes: route ".*GET ~1routed" was added with addRoute\. Give its scopes there/);

    const build = () => {
      const app2 = setup();
      const owned = new HttpApi(app2.stack, 'Existing');
      const [iam] = owned.addRoutes({ path: '/machines', methods: [HttpMethod.DELETE], integration: url(), authorizer: new HttpIamAuthorizer() });
      owned.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url() });
      const auth = protect(app2.stack, owned);
      auth.requireScopes(iam, ['admin']);
      auth.allowDirectRoute(iam, 'machine clients sign with IAM');
      return app2.app.synth();
    };
    expect(build).toThrow(/requireScopes: route "DELETE \/machines" .*is accepted with allowDirectRoute.*Drop requireScopes/);
  });

  test('the owner\'s defaultAuthorizationScopes fail synthesis instead of being dropped', () => {
    // CDK applies them only with an authorizer; taken over, every route would accept any valid token.
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing', { defaultAuthorizationScopes: ['admin'] });
    httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.DELETE], integration: url() });
    protect(stack, httpApi);
    expect(() => app.synth()).toThrow(/httpApi: defaultAuthorizationScopes \["admin"\].*requireScopes\(route, \[/);
  });

  test('fails naming a route its owner gave IAM or JWT authorization; allowDirectRoute accepts it', () => {
    const build = (allow: boolean) => {
      const { app, stack } = setup();
      const httpApi = new HttpApi(stack, 'Existing');
      const [iam] = httpApi.addRoutes({ path: '/machines', methods: [HttpMethod.GET], integration: url(), authorizer: new HttpIamAuthorizer() });
      const [jwt] = httpApi.addRoutes({ path: '/staff', methods: [HttpMethod.GET], integration: url(), authorizer: new HttpJwtAuthorizer('Jwt', 'https://issuer.example/', { jwtAudience: ['a'] }) });
      httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url() });
      const api = protect(stack, httpApi);
      if (allow) {
        api.allowDirectRoute(iam, 'machine clients sign with IAM');
        api.allowDirectRoute(jwt, 'staff tokens from another issuer');
      }
      return synth(app, stack);
    };
    expect(() => build(false)).toThrow(/route "GET \/machines" \(TestStack\/Existing\/GET--machines\) has its own authorization \(AWS_IAM\)[\s\S]*allowDirectRoute[\s\S]*route "GET \/staff".*\(JWT\)/);
    const { template, config } = build(true);
    expect(routeProps(template, 'GET /machines')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    expect(keysOf(config)).toEqual(['GET /orders']);
  });

  test('fails naming an L1 CfnRoute without authorization', () => {
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing');
    httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url() });
    new CfnRoute(stack, 'Raw', { apiId: httpApi.apiId, routeKey: 'GET /raw' });
    protect(stack, httpApi);
    expect(() => app.synth()).toThrow(/route "GET \/raw" \(TestStack\/Raw\) is an L1 CfnRoute without authorization/);
  });

  test('with the owner\'s CORS, ANY and $default routes get an OPTIONS route without authorization', () => {
    const { app, stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing', { corsPreflight: { allowOrigins: ['https://app.example.com'] } });
    httpApi.addRoutes({ path: '/files/{proxy+}', methods: [HttpMethod.ANY], integration: url() });
    protect(stack, httpApi);
    const { template, config } = synth(app, stack);
    expect(routeProps(template, 'OPTIONS /files/{proxy+}')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(keysOf(config)).toEqual(['ANY /files/{proxy+}']);
  });

  test('warns when the owner\'s stage writes no access logs and leaves it unchanged', () => {
    const { stack } = setup();
    const httpApi = new HttpApi(stack, 'Existing');
    httpApi.addRoutes({ path: '/x', methods: [HttpMethod.GET], integration: url() });
    const api = protect(stack, httpApi);
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth', Match.stringLikeRegexp('default stage writes no access logs'));
    expect(api.accessLogGroup).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.absent(), DefaultRouteSettings: Match.absent() });
  });

  test('refuses an imported API, with the reason', () => {
    const { stack } = setup();
    const imported = HttpApi.fromHttpApiAttributes(stack, 'Imported', { httpApiId: 'abc123' });
    expect(() => protect(stack, imported as HttpApi)).toThrow(/httpApi: the construct at TestStack\/Imported is not an HttpApi defined in this app.*Auth0HttpAuthorizer/);
  });

  test('refuses props that shape only an API the construct creates', () => {
    const { stack } = setup();
    expect(() => protect(stack, new HttpApi(stack, 'Existing'), { httpApiProps: {} })).toThrow(/httpApi: httpApiProps is set too/);
  });

  test('allowDirectRoute and requireScopes are refused on an API the construct created', () => {
    const { stack } = setup();
    const api = new Auth0ProtectedHttpApi(stack, 'Auth', HTTP_BASE_PROPS);
    const [route] = api.addRoute('GET /x', url());
    expect(() => api.allowDirectRoute(route, 'x')).toThrow(/allowDirectRoute: .*this construct created its HTTP API/);
    expect(() => api.requireScopes(route, ['x'])).toThrow(/requireScopes: .*this construct created its HTTP API/);
  });
});
