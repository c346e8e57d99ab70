import { integration, synthesize } from './synth';

describe('authorizer cache key', () => {
  test('routes whose patterns cannot capture each other share one decision per token', () => {
    const { template, config } = synthesize({}, (api) => {
      api.addRoute('GET /colors', integration(), { scopes: ['read:colors'] });
      api.addRoute('POST /colors', integration(), { scopes: ['write:colors'] });
      api.addRoute('DELETE /colors/{name}', integration(), { scopes: ['delete:colors'] });
      api.addRoute('ANY /files/{proxy+}', integration(), { scopes: ['read:files'] });
    });
    expect(config.policyScope).toBe('api');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { IdentitySource: 'method.request.header.Authorization' });
  });

  test('overlapping templates with different scopes key the cache by method and resource path too', () => {
    const { template, config } = synthesize({}, (api) => {
      api.addRoute('GET /items/{id}', integration(), { scopes: ['read:items'] });
      api.addRoute('GET /items/{id}/secret', integration(), { scopes: ['admin'] });
    });
    expect(config.policyScope).toBe('route');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath',
    });
  });

  test('overlapping templates are fine when the broader route already requires the narrower one\'s scopes', () => {
    const { config } = synthesize({}, (api) => {
      api.addRoute('GET /items/{id}', integration(), { scopes: ['read:items'] });
      api.addRoute('GET /items/{id}/details', integration(), { scopes: ['read:items'] });
      api.addRoute('GET /items/{id}/{proxy+}', integration(), { scopes: ['read:items'] });
    });
    expect(config.policyScope).toBe('api');
  });

  test('a literal sibling of a path parameter with its own scopes keys the cache by route', () => {
    const { config } = synthesize({}, (api) => {
      api.addRoute('GET /items/featured', integration(), { scopes: ['read:featured'] });
      api.addRoute('GET /items/{id}', integration(), { scopes: ['read:items'] });
    });
    expect(config.policyScope).toBe('route');
  });
});
