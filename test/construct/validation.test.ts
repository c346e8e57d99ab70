import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { BASE_PROPS, integration, newApi } from './synth';
import { Auth0ProtectedApi } from '../../src';

describe('validation at synth', () => {
  test.each([
    [{ domain: '' }, /domain: the value is empty/],
    [{ domain: 'acme.us.auth0.com/api' }, /domain: "acme.us.auth0.com\/api" is not a bare host.*"acme.us.auth0.com"/],
    [{ domain: 'https://acme.us.auth0.com/x/' }, /domain: .* is not a bare host/],
    [{ domain: 'acme.us.auth0.com?x=1' }, /domain: .* is not a bare host/],
    [{ domain: 'http://acme.us.auth0.com' }, /domain: "http:\/\/acme.us.auth0.com" uses plain http/],
    [{ domain: undefined }, /domain: neither domain nor issuer is set/],
    [{ issuer: 'http://login.acme.com/' }, /issuer: "http:\/\/login.acme.com\/" uses plain http, which is allowed only for 127.0.0.1 and localhost/],
    [{ issuer: 'login.acme.com' }, /issuer: "login.acme.com" is not an absolute URL/],
    [{ jwksUri: 'http://keys.acme.com/jwks.json' }, /jwksUri: .* uses plain http/],
    [{ jwksUri: 'ftp://keys.acme.com/jwks.json' }, /jwksUri: .* uses ftp, but only https is allowed/],
    [{ audience: '' }, /audience: the value is empty.*API Identifier/],
    [{ audience: '  ' }, /audience: the value is empty/],
    [{ authorizerCacheTtl: Duration.minutes(61) }, /authorizerCacheTtl: 1 hour 1 minute is longer than API Gateway allows.*Duration.hours\(1\)/],
    [{ requiredScopes: ['read:things write:things'] }, /requiredScopes: scope "read:things write:things" is empty or contains whitespace/],
    [{ requiredScopes: [''] }, /requiredScopes: scope "" is empty/],
    [{ algorithms: ['HS256'] }, /algorithms: \["HS256"\] must list one or more of RS256.*Symmetric/],
    [{ algorithms: [] }, /algorithms: \[\] must list one or more/],
    [{ clockTolerance: Duration.minutes(10) }, /clockTolerance: 10 minutes would accept tokens long expired/],
    [{ contextClaims: { sub: 'email' } }, /contextClaims: context key "sub" .* not one of sub, scope, principalId/],
    [{ contextClaims: { 'my-key': 'email' } }, /contextClaims: context key "my-key" must be a letter followed by/],
    [{ contextClaims: { roles: '' } }, /contextClaims: context key "roles" maps to ""/],
    [{ cors: { allowOrigins: ['*'] }, restApiProps: { defaultCorsPreflightOptions: { allowOrigins: ['*'] } } }, /CORS is set both there and in cors/],
    [{ restApiProps: { defaultMethodOptions: { authorizationType: 'NONE' as never } } }, /restApiProps.defaultMethodOptions: sets an authorizer/],
    [{ publicRoutes: ['GET/health'] }, /publicRoutes: route "GET\/health" is not of the form 'METHOD \/path'/],
  ])('rejects %p', (props, message) => {
    expect(() => newApi(props)).toThrow(message);
  });

  // What JavaScript and jsii callers can pass despite the types: the construct's own message, never a TypeError.
  test.each([
    ['audience missing', { audience: undefined }, /audience: is required and must be a string; got undefined\. Set it to your Auth0 API Identifier/],
    ['audience a number', { audience: 42 }, /audience: is required and must be a string; got number 42/],
    ['audience null', { audience: null }, /audience: is required and must be a string; got null/],
    ['domain a number', { domain: 42 }, /domain: must be a string; got number 42/],
    ['domain an object', { domain: { host: 'acme.us.auth0.com' } }, /domain: must be a string; got object/],
    ['issuer a number', { issuer: 7 }, /issuer: must be a string; got number 7/],
    ['jwksUri a boolean', { jwksUri: true }, /jwksUri: must be a string; got boolean true/],
    ['requiredScopes a string', { requiredScopes: 'read:things' }, /requiredScopes: must be a list of strings; got string "read:things"/],
    ['requiredScopes with a number', { requiredScopes: ['read:things', 3] }, /requiredScopes: entry 3 must be a string; got number/],
    ['publicRoutes a string', { publicRoutes: 'GET /health' }, /publicRoutes: must be a list of strings; got string "GET \/health"/],
    ['publicRoutes with undefined', { publicRoutes: [undefined] }, /publicRoutes: entry undefined must be a string; got undefined/],
    ['algorithms a string', { algorithms: 'RS256' }, /algorithms: must be a list of strings; got string "RS256"/],
    ['contextClaims a string', { contextClaims: 'email' }, /contextClaims: must be an object mapping context keys to claim names; got string "email"/],
    ['contextClaims a list', { contextClaims: ['email'] }, /contextClaims: must be an object mapping context keys to claim names; got a list/],
  ])('rejects %s with a message naming the prop', (_name, props, message) => {
    expect(() => newApi(props as never)).toThrow(message);
  });

  test.each([
    ['a number', 42, /addRoute: route must be a string such as 'GET \/items\/\{id\}'; got number 42/],
    ['undefined', undefined, /addRoute: route must be a string such as 'GET \/items\/\{id\}'; got undefined/],
  ])('rejects a route given as %s', (_name, route, message) => {
    const { api } = newApi();
    expect(() => api.addRoute(route as never, integration())).toThrow(message);
  });

  test('rejects route scopes that are not a list of strings', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /things', integration(), { scopes: 'read:things' as never }))
      .toThrow(/addRoute\("GET \/things"\).scopes: must be a list of strings; got string "read:things"/);
    expect(() => api.addRoute('GET /things', integration(), { scopes: [null] as never }))
      .toThrow(/addRoute\("GET \/things"\).scopes: entry null must be a string; got null/);
  });

  test('rejects an Express-style path parameter and suggests the API Gateway form', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /items/:id', integration())).toThrow(/has the Express-style parameter ":id"; write it as \{id\}/);
    expect(() => newApi({ publicRoutes: ['GET /files/:name/raw'] })).toThrow(/publicRoutes: route "GET \/files\/:name\/raw" has the Express-style parameter ":name"; write it as \{name\}/);
  });

  test('keeps a colon inside a literal segment, as API Gateway allows', () => {
    const { api } = newApi();
    expect(() => api.addRoute('POST /items:batch', integration())).not.toThrow();
  });

  test('rejects a domain given as an unresolved token, naming the prop', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(() => new Auth0ProtectedApi(stack, 'Api', { ...BASE_PROPS, domain: Lazy.string({ produce: () => 'x' }) }))
      .toThrow(/domain: the value is an unresolved token .* pass a plain string/);
  });

  test.each([
    ['GET/x', /is not of the form 'METHOD \/path'/],
    ['FOO /x', /has an unknown method "FOO"; use one of GET, POST/],
    ['get /x', /has an unknown method "get"/],
    ['/x', /is not of the form/],
    ['GET x', /has a path that does not start with \//],
    ['GET /a//b', /has an empty path segment/],
    ['GET /a/', /has an empty path segment/],
    ['GET /a/{b', /has the malformed path parameter "{b"/],
    ['GET /a/b}', /has the malformed path parameter "b}"/],
    ['GET /{proxy+}/x', /has the greedy parameter {proxy\+} before the end of the path/],
    ['GET /a/{id}/{id}', /uses the path parameter {id} twice/],
    ['GET /a b', /is not of the form/],
    ['GET /a*', /with characters API Gateway does not allow/],
    ['', /is not of the form/],
  ])('rejects the route %p', (route, message) => {
    const { api } = newApi();
    expect(() => api.addRoute(route, integration())).toThrow(message);
    expect(() => api.addRoute(route, integration())).toThrow(/addRoute: route .* Write routes as 'METHOD \/path'/);
  });

  test('rejects the same route added twice', () => {
    const { api } = newApi();
    api.addRoute('GET /things', integration());
    expect(() => api.addRoute('GET /things', integration())).toThrow(/route "GET \/things" is added twice/);
  });

  test('rejects a public route given scopes', () => {
    const { api } = newApi({ publicRoutes: ['GET /health'] });
    expect(() => api.addRoute('GET /health', integration(), { scopes: ['read:health'] }))
      .toThrow(/route "GET \/health" is in publicRoutes but was given scopes \["read:health"\]/);
  });

  test('rejects a route scope containing whitespace', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /things', integration(), { scopes: ['read things'] }))
      .toThrow(/addRoute\("GET \/things"\).scopes: scope "read things" is empty or contains whitespace/);
  });

  test('rejects methodOptions that set authorization', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /things', integration(), { methodOptions: { authorizationScopes: ['x'] } }))
      .toThrow(/sets authorizer, authorizationType or authorizationScopes in methodOptions/);
  });

  test('rejects an OPTIONS route when cors adds the preflight', () => {
    const { api } = newApi({ cors: { allowOrigins: ['*'] } });
    expect(() => api.addRoute('OPTIONS /things', integration())).toThrow(/collides with the CORS preflight/);
  });

  test('rejects two names for the path parameter at one position', () => {
    const { api } = newApi();
    api.addRoute('GET /items/{id}', integration());
    expect(() => api.addRoute('GET /items/{itemId}/parts', integration()))
      .toThrow(/names the path parameter {itemId} where "GET \/items\/{id}" names {id}/);
  });

  test('rejects a path too long for a policy ARN', () => {
    const { api } = newApi();
    expect(() => api.addRoute(`GET /${'a'.repeat(401)}`, integration())).toThrow(/has a path longer than 400 characters/);
  });

  test('fails synthesis when a publicRoutes entry is never added', () => {
    const { app, api } = newApi({ publicRoutes: ['GET /health', 'GET /status'] });
    api.addRoute('GET /health', integration());
    expect(() => app.synth()).toThrow(/publicRoutes: "GET \/status" is declared public but never added/);
  });

  test('rejects a route added after synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    app.synth();
    expect(() => api.addRoute('GET /later', integration())).toThrow(/was added after the app was synthesized/);
  });
});
