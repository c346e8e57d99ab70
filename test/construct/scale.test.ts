import { integration, synthesize } from './synth';

describe('scale', () => {
  test('synthesizes 200 routes with the whole route table in the asset', () => {
    const { template, config } = synthesize({ requiredScopes: ['api:use'] }, (api) => {
      for (let i = 0; i < 100; i++) {
        api.addRoute(`GET /resource-${i}/{id}`, integration(), { scopes: [`read:resource-${i}`] });
        api.addRoute(`PUT /resource-${i}/{id}`, integration(), { scopes: [`write:resource-${i}`] });
      }
    });
    expect(config.routes).toHaveLength(200);
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM' }, 200);
    // Lambda refuses environment variables over 4 KB in total; the table lives in the asset instead.
    const authorizer = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(JSON.stringify(authorizer.Properties.Environment ?? {}).length).toBeLessThan(4096);
    expect(config.policyScope).toBe('api');
  });
});
