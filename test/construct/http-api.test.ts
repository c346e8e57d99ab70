import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CorsHttpMethod, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { HTTP_BASE_PROPS, newHttpApi, synthesizeHttp, url } from './http-api-synth';
import { synthesize } from './synth';
import { Auth0ProtectedHttpApi } from '../../src';
import { parseAuthorizerConfig, serializeAuthorizerConfig } from '../../src/authorizer/authorizer-config';

describe('Auth0ProtectedHttpApi defaults', () => {
  test('a Lambda authorizer with simple responses, payload 2.0, cached per token and route for 5 minutes', () => {
    const { template } = synthesizeHttp();
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  test('protected routes use the authorizer', () => {
    const { template } = synthesizeHttp();
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /things', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: Match.stringLikeRegexp('RequestAuthorizer') },
    });
  });

  test('the authorizer function is the shared one: Node.js 22, arm64, 256 MB, JSON logs to its own log group', () => {
    const { template } = synthesizeHttp();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('AuthorizerLogs') } },
    });
  });

  test('the invoke permission is scoped to this API\'s authorizer', () => {
    const { template } = synthesizeHttp();
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiAuthorizer'), 'Arn'] },
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Api[A-F0-9]+$') }, '/authorizers/', { Ref: Match.stringLikeRegexp('RequestAuthorizer') }])] },
    });
  });

  test('the authorizer role may only write its own logs', () => {
    const { template } = synthesizeHttp();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('AuthorizerRole') }],
      PolicyDocument: { Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuthorizerLogs'), 'Arn'] } }] },
    });
  });

  test('the stage writes JSON access logs and throttles at 1,000 rps, bursts of 2,000', () => {
    const { template } = synthesizeHttp();
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0].Properties;
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', route: '$context.routeKey', status: '$context.status', authorizerError: '$context.authorizer.error', principal: '$context.authorizer.sub' });
    expect(stage.AccessLogSettings.Format).not.toMatch(/authorization/i);
  });

  test('the authorizer configuration lists protected routes by route key with every scope, sorted', () => {
    const { config } = synthesizeHttp({ requiredScopes: ['read'], publicRoutes: ['GET /health'] }, (api) => {
      api.addRoute('GET /health', url());
      api.addRoute('POST /items', url(), { scopes: ['write', 'audit'] });
      api.addRoute('$default', url());
    });
    expect(config.routes).toEqual([]);
    expect(config.httpRoutes).toEqual([
      { routeKey: 'POST /items', scopes: ['audit', 'read', 'write'] },
      { routeKey: '$default', scopes: ['read'] },
    ]);
  });

  test('public routes get no authorizer and stay out of the configuration', () => {
    const { template, api } = synthesizeHttp({ publicRoutes: ['GET /health'] }, (a) => { a.addRoute('GET /health', url()); });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'NONE' });
    expect(api.publicRoutes).toEqual(['GET /health']);
    expect(api.protectedRoutes).toEqual([]);
  });
});

describe('Auth0ProtectedHttpApi props', () => {
  test('authorizerCacheTtl 0 turns the cache off and warns', () => {
    const { template, stack } = synthesizeHttp({ authorizerCacheTtl: Duration.seconds(0) });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('authorizerCacheTtl is 0'));
  });

  test('throttle sets the stage; a route throttle sets its route settings', () => {
    const { template } = synthesizeHttp({ throttle: { rateLimit: 10, burstLimit: 20 } }, (api) => {
      api.addRoute('GET /slow', url(), { throttle: { rateLimit: 1, burstLimit: 2 } });
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      RouteSettings: { 'GET /slow': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 } },
    });
  });

  test('accessLogGroup receives the access logs', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const group = new LogGroup(stack, 'Mine');
    new Auth0ProtectedHttpApi(stack, 'Api', { ...HTTP_BASE_PROPS, accessLogGroup: group }).addRoute('GET /x', url());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 2); // the authorizer's and Mine
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Mine'), 'Arn'] } } });
  });

  test('authorizerMemorySize, algorithms, clockTolerance and contextClaims reach the function and its configuration', () => {
    const { template, config } = synthesizeHttp({
      authorizerMemorySize: 1024, algorithms: ['ES256'], clockTolerance: Duration.seconds(30), contextClaims: { roles: 'https://acme.com/roles' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 1024 });
    expect(config).toMatchObject({ algorithms: ['ES256'], clockToleranceSeconds: 30, contextClaims: { roles: 'https://acme.com/roles' } });
  });

  test('cors becomes the HTTP API\'s CORS configuration', () => {
    const { template } = synthesizeHttp({ cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization'] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowHeaders: ['authorization'] } });
  });

  test('cors with allowOrigins only lets a browser send Authorization and Content-Type with every method, as on the REST construct', () => {
    const { template } = synthesizeHttp({ cors: { allowOrigins: ['https://app.example.com'] } }, (a) => { a.addRoute('DELETE /things/{id}', url()); });
    const [cors] = Object.values(template.findResources('AWS::ApiGatewayV2::Api')).map((r) => r.Properties.CorsConfiguration);
    expect(cors.AllowHeaders.map((h: string) => h.toLowerCase())).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(cors.AllowMethods).toEqual(expect.arrayContaining(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']));
  });

  test('cors keeps explicit allowHeaders and allowMethods as given', () => {
    const { template } = synthesizeHttp({ cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['x-custom'], allowMethods: [CorsHttpMethod.GET] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowHeaders: ['x-custom'], AllowMethods: ['GET'] } });
  });

  test('with cors, an ANY route gets an OPTIONS route without authorization; $default gets OPTIONS /{proxy+} and OPTIONS /', () => {
    const { template, api } = synthesizeHttp({ cors: { allowOrigins: ['https://app.example.com'] } }, (a) => {
      const routes = a.addRoute('ANY /files/{proxy+}', url());
      expect(routes).toHaveLength(2);
      a.addRoute('$default', url());
      a.addRoute('GET /colors', url());
    });
    for (const key of ['OPTIONS /files/{proxy+}', 'OPTIONS /{proxy+}', 'OPTIONS /']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE' });
    }
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 6);
    template.hasResourceProperties('AWS::Lambda::Function', { Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 204 });' } });
    expect(api.publicRoutes).toEqual([]);
  });

  test('the preflight and authorizer functions depend on their role policy only (cfn-lint W3005)', () => {
    const { template } = synthesizeHttp({ cors: { allowOrigins: ['https://app.example.com'] } }, (a) => { a.addRoute('ANY /files/{proxy+}', url()); });
    for (const name of ['Preflight', 'Authorizer']) {
      const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => new RegExp(`^Api${name}[A-F0-9]{8}$`).test(id));
      expect(fn[1].DependsOn).toEqual([expect.stringMatching(new RegExp(`^Api${name}RoleDefaultPolicy`))]);
    }
  });

  test('without cors no preflight route is added', () => {
    const { template } = synthesizeHttp({}, (a) => { a.addRoute('ANY /files/{proxy+}', url()); });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
  });

  test('addAlarms watches the authorizer errors and the API\'s 5xx and latency by ApiId and Stage', () => {
    const { template } = synthesizeHttp({}, (a) => { a.addRoute('GET /x', url()); a.addAlarms(); });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: '5xx', Dimensions: Match.arrayWith([{ Name: 'ApiId', Value: { Ref: Match.anyValue() } }, { Name: 'Stage', Value: '$default' }]) }) }) })]),
    });
  });
});

describe('Auth0ProtectedHttpApi validation', () => {
  test('fails when a route is added on httpApi directly, naming it', () => {
    const { app, api } = newHttpApi();
    api.addRoute('GET /ok', url());
    api.httpApi.addRoutes({ path: '/open', integration: url() });
    expect(() => app.synth()).toThrow(/httpApi: route "ANY \/open" .* does not use this construct's authorizer/);
  });

  test('fails when a route is created with new HttpRoute without the authorizer', () => {
    const { app, stack, api } = newHttpApi();
    new HttpRoute(stack, 'Sneaky', { httpApi: api.httpApi, routeKey: HttpRouteKey.with('/sneaky', HttpMethod.GET), integration: url() });
    expect(() => app.synth()).toThrow(/route "GET \/sneaky"/);
  });

  test('fails for httpApiProps.defaultIntegration (a $default route nobody authorized)', () => {
    const { app } = newHttpApi({ httpApiProps: { defaultIntegration: url() } });
    expect(() => app.synth()).toThrow(/route "\$default"/);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['defaultAuthorizer', () => newHttpApi({ httpApiProps: { defaultAuthorizationScopes: ['x'] } }), /httpApiProps.defaultAuthorizer/],
    ['corsPreflight', () => newHttpApi({ httpApiProps: { corsPreflight: { allowOrigins: ['*'] } } }), /httpApiProps.corsPreflight: .*Set it in cors/],
    ['credentials with any origin', () => newHttpApi({ cors: { allowOrigins: ['*'], allowCredentials: true } }), /cors: allowCredentials is true with allowOrigins \["\*"\]/],
    ['a cache TTL over an hour', () => newHttpApi({ authorizerCacheTtl: Duration.hours(2) }), /authorizerCacheTtl: 2 hours/],
    ['a domain with a path', () => newHttpApi({ domain: 'acme.auth0.com/x' }), /domain: "acme.auth0.com\/x"/],
    ['a public route with a typo', () => newHttpApi({ publicRoutes: ['GET health'] }), /publicRoutes: route "GET health"/],
    ['$default with spaces', () => newHttpApi({ publicRoutes: [' $default'] }), /publicRoutes: route " \$default" has spaces around \$default/],
  ])('refuses %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  // What JavaScript and jsii callers can pass despite the types: the REST construct's messages, never a TypeError.
  test.each<[string, () => unknown, RegExp]>([
    ['audience a number', () => newHttpApi({ audience: 42 as never }), /audience: is required and must be a string; got number 42/],
    ['domain a number', () => newHttpApi({ domain: 42 as never }), /domain: must be a string; got number 42/],
    ['publicRoutes a string', () => newHttpApi({ publicRoutes: 'GET /health' as never }), /publicRoutes: must be a list of strings; got string "GET \/health"/],
    ['publicRoutes with undefined', () => newHttpApi({ publicRoutes: [undefined] as never }), /publicRoutes: entry undefined must be a string; got undefined/],
    ['publicRoutes with a number', () => newHttpApi({ publicRoutes: [7] as never }), /publicRoutes: entry 7 must be a string; got number/],
    ['a route given as a number', () => newHttpApi().api.addRoute(42 as never, url()), /addRoute: route must be a string such as 'GET \/items\/\{id\}'; got number 42/],
    ['a route given as undefined', () => newHttpApi().api.addRoute(undefined as never, url()), /addRoute: route must be a string such as 'GET \/items\/\{id\}'; got undefined/],
    ['route scopes a string', () => newHttpApi().api.addRoute('GET /x', url(), { scopes: 'read' as never }), /addRoute\("GET \/x"\).scopes: must be a list of strings; got string "read"/],
    ['$default scopes a string', () => newHttpApi().api.addRoute('$default', url(), { scopes: 'read' as never }), /addRoute\("\$default"\).scopes: must be a list of strings; got string "read"/],
    ['an Express-style parameter', () => newHttpApi().api.addRoute('GET /items/:id', url()), /has the Express-style parameter ":id"; write it as \{id\}/],
    ['an Express-style public route', () => newHttpApi({ publicRoutes: ['GET /files/:name'] }), /publicRoutes: route "GET \/files\/:name" has the Express-style parameter ":name"/],
  ])('refuses %s with a message naming the prop', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('refuses a route added twice, $default included', () => {
    const { api } = newHttpApi();
    api.addRoute('$default', url());
    expect(() => api.addRoute('$default', url())).toThrow(/route "\$default" is added twice/);
    api.addRoute('GET /a', url());
    expect(() => api.addRoute('GET /a', url())).toThrow(/route "GET \/a" is added twice/);
  });

  test('refuses scopes on a public route', () => {
    const { api } = newHttpApi({ publicRoutes: ['$default'] });
    expect(() => api.addRoute('$default', url(), { scopes: ['x'] })).toThrow(/"\$default" is in publicRoutes but was given scopes/);
  });

  test('refuses an OPTIONS route when cors answers preflight', () => {
    const { api } = newHttpApi({ cors: { allowOrigins: ['https://a.example.com'] } });
    expect(() => api.addRoute('OPTIONS /x', url())).toThrow(/collides with the CORS preflight/);
  });

  test('fails synthesis for a public route never added', () => {
    const { app, api } = newHttpApi({ publicRoutes: ['GET /health', '$default'] });
    api.addRoute('GET /x', url());
    expect(() => app.synth()).toThrow(/publicRoutes: "GET \/health" is declared public but never added[\s\S]*publicRoutes: "\$default" is declared public but never added/);
  });

  test('refuses routes added after synthesis', () => {
    const { app, api } = newHttpApi();
    api.addRoute('GET /x', url());
    app.synth();
    expect(() => api.addRoute('GET /y', url())).toThrow(/added after the app was synthesized/);
  });
});

describe('shared configuration format', () => {
  test('a REST API\'s configuration carries no httpRoutes, so its asset is unchanged', () => {
    const { config } = synthesize();
    expect(config.httpRoutes).toBeUndefined();
    expect(serializeAuthorizerConfig(config)).not.toContain('httpRoutes');
  });

  test('a malformed httpRoutes entry is refused at parse time', () => {
    const { config } = synthesizeHttp();
    const text = serializeAuthorizerConfig({ ...config, httpRoutes: [{ routeKey: 'get things', scopes: [] }] });
    expect(() => parseAuthorizerConfig(text)).toThrow(/httpRoutes\[0\] must have a route key/);
  });
});
