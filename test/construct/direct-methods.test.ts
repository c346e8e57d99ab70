import { Match } from 'aws-cdk-lib/assertions';
import { AuthorizationType } from 'aws-cdk-lib/aws-apigateway';
import { integration, newApi, synthesize } from './synth';

describe('methods added beside addRoute', () => {
  test('a method added directly on restApi fails synthesis, naming the method and the fixes', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.restApi.root.addResource('admin').addMethod('GET', integration());
    expect(() => app.synth()).toThrow(/GET \/admin was added directly on restApi.*addRoute\('GET \/admin', integration\).*publicRoutes.*allowDirectMethod/);
  });

  test('a method added to a resource that addRoute created fails synthesis too', () => {
    const { app, api } = newApi();
    const method = api.addRoute('GET /things/{id}', integration());
    method.resource.addMethod('DELETE', integration());
    expect(() => app.synth()).toThrow(/DELETE \/things\/{id} was added directly on restApi/);
  });

  test('a proxy added on the root fails synthesis for each method it adds', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.restApi.root.addProxy({ defaultIntegration: integration() });
    expect(() => app.synth()).toThrow(/ANY \/ was added directly[\s\S]*ANY \/{proxy\+} was added directly/);
  });

  test('a direct method with another authorization type is refused as well: the authorizer\'s route table does not know it', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.restApi.root.addResource('iam').addMethod('GET', integration(), { authorizationType: AuthorizationType.IAM });
    expect(() => app.synth()).toThrow(/GET \/iam was added directly on restApi \(authorization AWS_IAM\)/);
  });

  test('CORS preflight methods, on routes and on resources created directly, are not refused', () => {
    const { template } = synthesize({ cors: { allowOrigins: ['https://app.acme.com'] } }, (api) => {
      api.addRoute('GET /things/{id}', integration());
      const extra = api.restApi.root.addResource('extra');
      api.allowDirectMethod(extra.addMethod('GET', integration()), 'static file, public on purpose');
    });
    expect(Object.keys(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } })).length).toBeGreaterThanOrEqual(4);
  });

  test('an OPTIONS method is refused when it is not a CORS preflight', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.restApi.root.addResource('plain').addMethod('OPTIONS', integration());
    expect(() => app.synth()).toThrow(/OPTIONS \/plain was added directly on restApi/);
  });

  test('allowDirectMethod leaves a deliberately open method as it is and records why in the template', () => {
    const { template } = synthesize({}, (api) => {
      api.addRoute('GET /things', integration());
      api.allowDirectMethod(api.restApi.root.addResource('status').addMethod('GET', integration()), 'load balancer health check');
    });
    template.hasResource('AWS::ApiGateway::Method', {
      Properties: Match.objectLike({ HttpMethod: 'GET', AuthorizationType: 'NONE' }),
      Metadata: { 'cdk-auth0-protected-api:direct-method': 'load balancer health check' },
    });
  });

  test('allowDirectMethod refuses a method of another API, a route added with addRoute, and an empty reason', () => {
    const { api } = newApi();
    const other = newApi().api.restApi.root.addMethod('GET', integration());
    expect(() => api.allowDirectMethod(other, 'x')).toThrow(/allowDirectMethod: GET \/ belongs to another REST API/);
    const route = api.addRoute('GET /things', integration());
    expect(() => api.allowDirectMethod(route, 'x')).toThrow(/allowDirectMethod: GET \/things was added with addRoute/);
    const direct = api.restApi.root.addResource('open').addMethod('GET', integration());
    expect(() => api.allowDirectMethod(direct, ' ')).toThrow(/allowDirectMethod: give the reason GET \/open is left outside the authorizer/);
  });
});
