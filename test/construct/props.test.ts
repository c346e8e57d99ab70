import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Method } from 'aws-cdk-lib/aws-apigateway';
import { integration, newApi, synthesize } from './synth';

describe('props', () => {
  test.each([
    ['acme.us.auth0.com'],
    ['https://acme.us.auth0.com'],
    ['https://acme.us.auth0.com/'],
    ['ACME.us.auth0.com'],
  ])('domain %s gives the issuer https://acme.us.auth0.com/', (domain) => {
    expect(synthesize({ domain }).config.issuer).toBe('https://acme.us.auth0.com/');
  });

  test('issuer sets the exact iss for a custom domain and derives the JWKS URI from it', () => {
    const { config } = synthesize({ domain: undefined, issuer: 'https://login.acme.com/' });
    expect(config.issuer).toBe('https://login.acme.com/');
    expect(config.jwksUri).toBe('https://login.acme.com/.well-known/jwks.json');
  });

  test('issuer with domain keeps the JWKS at the domain', () => {
    const { config } = synthesize({ issuer: 'https://login.acme.com/' });
    expect(config.issuer).toBe('https://login.acme.com/');
    expect(config.jwksUri).toBe('https://acme.us.auth0.com/.well-known/jwks.json');
  });

  test('jwksUri overrides where keys are read', () => {
    const { config } = synthesize({ jwksUri: 'https://keys.acme.com/jwks.json' });
    expect(config.jwksUri).toBe('https://keys.acme.com/jwks.json');
  });

  test('plain http is accepted for a loopback issuer, for local tests', () => {
    const { config } = synthesize({ domain: undefined, issuer: 'http://127.0.0.1:4000/' });
    expect(config.jwksUri).toBe('http://127.0.0.1:4000/.well-known/jwks.json');
  });

  test('requiredScopes apply to every protected route, together with the route\'s own scopes', () => {
    const { config } = synthesize({ requiredScopes: ['read:things'] }, (api) => {
      api.addRoute('GET /things', integration());
      api.addRoute('DELETE /things/{id}', integration(), { scopes: ['delete:things'] });
    });
    expect(config.routes).toEqual([
      { method: 'GET', path: '/things', scopes: ['read:things'], resourcePattern: 'GET/things' },
      { method: 'DELETE', path: '/things/{id}', scopes: ['delete:things', 'read:things'], resourcePattern: 'DELETE/things/?*' },
    ]);
  });

  test('publicRoutes get no authorizer and stay out of the authorizer\'s route table', () => {
    const { template, config } = synthesize({ publicRoutes: ['GET /health'] }, (api) => {
      api.addRoute('GET /health', integration());
      api.addRoute('GET /things', integration());
    });
    const resourceId = (pathPart: string) => Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } }))[0];
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET', ResourceId: { Ref: resourceId('health') }, AuthorizationType: 'NONE', AuthorizerId: Match.absent(),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET', ResourceId: { Ref: resourceId('things') }, AuthorizationType: 'CUSTOM', AuthorizerId: Match.anyValue(),
    });
    expect(config.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /things']);
  });

  test('protectedRoutes and publicRoutes list the routes added', () => {
    const { api } = newApi({ publicRoutes: ['GET /health'] });
    api.addRoute('GET /health', integration());
    api.addRoute('ANY /files/{proxy+}', integration());
    expect(api.protectedRoutes).toEqual(['ANY /files/{proxy+}']);
    expect(api.publicRoutes).toEqual(['GET /health']);
  });

  test('addRoute returns the API Gateway method', () => {
    const { api } = newApi();
    const method = api.addRoute('GET /things/{id}', integration());
    expect(method).toBeInstanceOf(Method);
    expect(method.resource.path).toBe('/things/{id}');
    expect(method.httpMethod).toBe('GET');
  });

  test('methodOptions reach the method', () => {
    const { template } = synthesize({}, (api) => {
      api.addRoute('GET /things', integration(), { methodOptions: { apiKeyRequired: true } });
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', ApiKeyRequired: true, AuthorizationType: 'CUSTOM' });
  });

  test('authorizerCacheTtl sets the result cache TTL', () => {
    const { template } = synthesize({ authorizerCacheTtl: Duration.minutes(30) });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 1800 });
  });

  test('authorizerCacheTtl of zero turns caching off, with a warning', () => {
    const { template, stack } = synthesize({ authorizerCacheTtl: Duration.seconds(0) });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('authorizerCacheTtl is 0'));
  });

  test('algorithms and clockTolerance reach the authorizer', () => {
    const { config } = synthesize({ algorithms: ['RS256', 'PS256'], clockTolerance: Duration.seconds(30) });
    expect(config.algorithms).toEqual(['RS256', 'PS256']);
    expect(config.clockToleranceSeconds).toBe(30);
  });

  test('contextClaims reach the authorizer', () => {
    const { config } = synthesize({ contextClaims: { roles: 'https://acme.com/roles', email: 'email' } });
    expect(config.contextClaims).toEqual({ email: 'email', roles: 'https://acme.com/roles' });
  });

  test('restApiProps reach the REST API', () => {
    const { template } = synthesize({ restApiProps: { description: 'Things API', deployOptions: { stageName: 'v1' } } });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Description: 'Things API' });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
  });

  test('restApiProps.defaultCorsPreflightOptions counts as cors, error responses included', () => {
    const { template } = synthesize({ restApiProps: { defaultCorsPreflightOptions: { allowOrigins: ['https://app.acme.com'] } } });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.acme.com'" }),
    });
  });

  test('an Auth0 issuer without its trailing slash fails synthesis (it would refuse every real token)', () => {
    expect(() => synthesize({ domain: undefined, issuer: 'https://acme.us.auth0.com' })).toThrow(/issuer: "https:\/\/acme.us.auth0.com" has no trailing slash.*Set issuer to "https:\/\/acme.us.auth0.com\/"/);
  });

  test('an Auth0 issuer with capitals in its host fails synthesis (Auth0 writes iss in lower case, compared exactly)', () => {
    expect(() => synthesize({ domain: undefined, issuer: 'https://ACME.us.auth0.com/' }))
      .toThrow(/issuer: "https:\/\/ACME.us.auth0.com\/" .*lower case.*Set issuer to "https:\/\/acme.us.auth0.com\/"/);
  });
});
