/**
 * Misspelled options from plain JavaScript (or any caller that bypasses the TypeScript types):
 * every props and options object this library defines refuses keys it does not know, at
 * synthesis, naming the key and the closest known one. Without this, `requiredScope: ['admin']`
 * or `addRoute(..., { scope: ['admin'] })` deploys with the requirement silently dropped.
 * Objects that belong to aws-cdk-lib (`restApiProps`, `httpApiProps`, `cors`, `methodOptions`,
 * `throttle`) are aws-cdk-lib's to check and are not looked into.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { HTTP_BASE_PROPS, newHttpApi, url } from './http-api-synth';
import { BASE_PROPS, integration, newApi } from './synth';
import { Auth0HttpAuthorizer, Auth0RestAuthorizer } from '../../src';

/** What a JavaScript caller can write: any object, whatever the types say. */
const js = <T>(value: Record<string, unknown>): T => value as unknown as T;

describe.each([
  ['Auth0ProtectedApi', (extra: Record<string, unknown>) => newApi(js({ ...BASE_PROPS, ...extra }))],
  ['Auth0ProtectedHttpApi', (extra: Record<string, unknown>) => newHttpApi(js({ ...HTTP_BASE_PROPS, ...extra }))],
])('%s props', (construct, build) => {
  test('refuses requiredScope, naming the key, its value and requiredScopes', () => {
    expect(() => build({ requiredScope: ['admin'] }))
      .toThrow(new RegExp(`${construct} props: unknown key "requiredScope" \\(a list\\)\\. Did you mean "requiredScopes"\\?`));
  });

  test('refuses a misspelled key of the shared token props (audiance)', () => {
    expect(() => build({ audiance: 'https://api.acme.com' })).toThrow(/unknown key "audiance" \(string "https:\/\/api.acme.com"\)\. Did you mean "audience"\?/);
  });

  test('suggests the prop a shortened name belongs to (cacheTtl: authorizerCacheTtl)', () => {
    expect(() => build({ cacheTtl: Duration.minutes(1) })).toThrow(/unknown key "cacheTtl" .*Did you mean "authorizerCacheTtl"\?/);
  });

  test('a key like no known one lists the known keys', () => {
    expect(() => build({ frobnicate: true })).toThrow(/unknown key "frobnicate" \(boolean true\)\. Known keys: .*"audience".*"requiredScopes"/);
  });

  test('reports every unknown key at once', () => {
    expect(() => build({ requiredScope: ['a'], algorithm: ['RS256'] })).toThrow(/unknown keys "requiredScope" .*"requiredScopes".*; "algorithm" .*"algorithms"/);
  });

  test('a key set to undefined is still a misspelling', () => {
    expect(() => build({ publicRoute: undefined })).toThrow(/unknown key "publicRoute" \(undefined\)\. Did you mean "publicRoutes"\?/);
  });

  test('the keys of contextClaims are the user\'s own names and are not checked', () => {
    expect(() => build({ contextClaims: { anyName: 'https://acme.com/claim' } })).not.toThrow();
  });
});

describe('addRoute options', () => {
  test('REST: refuses scope, naming scopes', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /x', integration(), js({ scope: ['admin'] })))
      .toThrow(/addRoute\("GET \/x"\) options: unknown key "scope" \(a list\)\. Did you mean "scopes"\?/);
    expect(api.protectedRoutes).toEqual([]);
  });

  test('HTTP API: refuses scope, naming scopes', () => {
    const { api } = newHttpApi();
    expect(() => api.addRoute('GET /x', url(), js({ scope: ['admin'] })))
      .toThrow(/addRoute\("GET \/x"\) options: unknown key "scope" \(a list\)\. Did you mean "scopes"\?/);
    expect(api.protectedRoutes).toEqual([]);
  });

  test('REST: refuses authorizer given next to methodOptions (it would be ignored)', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /x', integration(), js({ authorizationType: 'NONE' }))).toThrow(/unknown key "authorizationType"/);
  });

  test('known keys pass', () => {
    const { api } = newApi();
    expect(() => api.addRoute('GET /x', integration(), { scopes: ['a'], methodOptions: {}, throttle: { rateLimit: 1 } })).not.toThrow();
    const http = newHttpApi().api;
    expect(() => http.addRoute('GET /x', url(), { scopes: ['a'], throttle: { rateLimit: 1 } })).not.toThrow();
  });
});

describe('addAlarms options', () => {
  test.each([
    ['REST', () => newApi().api],
    ['HTTP API', () => newHttpApi().api],
  ])('%s: refuses authorizerErrorsThreshold, naming authorizerErrorThreshold', (_kind, make) => {
    const api = make();
    expect(() => api.addAlarms(js({ authorizerErrorsThreshold: 5 })))
      .toThrow(/addAlarms options: unknown key "authorizerErrorsThreshold" \(number 5\)\. Did you mean "authorizerErrorThreshold"\?/);
  });
});

describe.each([
  ['Auth0RestAuthorizer', (stack: Stack, props: Record<string, unknown>) => new Auth0RestAuthorizer(stack, 'Auth', js(props))],
  ['Auth0HttpAuthorizer', (stack: Stack, props: Record<string, unknown>) => new Auth0HttpAuthorizer(stack, 'Auth', js(props))],
])('%s props', (construct, build) => {
  test('refuses requiredScope, naming requiredScopes', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => build(stack, { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', requiredScope: ['admin'] }))
      .toThrow(new RegExp(`${construct} props: unknown key "requiredScope" \\(a list\\)\\. Did you mean "requiredScopes"\\?`));
  });

  test('accepts every known key', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => build(stack, { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', requiredScopes: ['a'], authorizerCacheTtl: Duration.minutes(1) })).not.toThrow();
  });
});
