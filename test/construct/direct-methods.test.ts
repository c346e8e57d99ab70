import { NestedStack, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AuthorizationType, CfnMethod, CfnResource, Method, Resource, RestApi } from 'aws-cdk-lib/aws-apigateway';
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

describe('methods that reach the construct\'s REST API from outside restApi', () => {
  test('an L1 CfnMethod on the root resource fails synthesis, naming the method', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new CfnMethod(stack, 'Sneaky', {
      restApiId: api.restApi.restApiId,
      resourceId: api.restApi.root.resourceId,
      httpMethod: 'DELETE',
      authorizationType: 'NONE',
      integration: { type: 'MOCK' },
    });
    expect(() => app.synth()).toThrow(/DELETE \/ \(CfnMethod TestStack\/Sneaky\) was added directly on the REST API \(authorization NONE\)/);
  });

  test('an L1 CfnMethod on an L1 CfnResource fails synthesis, naming the path of the resource', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const admin = new CfnResource(stack, 'AdminRes', { restApiId: api.restApi.restApiId, parentId: api.restApi.root.resourceId, pathPart: 'admin' });
    const users = new CfnResource(stack, 'UsersRes', { restApiId: api.restApi.restApiId, parentId: admin.ref, pathPart: 'users' });
    new CfnMethod(stack, 'AdminGet', { restApiId: api.restApi.restApiId, resourceId: users.ref, httpMethod: 'GET', authorizationType: 'NONE', integration: { type: 'MOCK' } });
    expect(() => app.synth()).toThrow(/GET \/admin\/users \(CfnMethod TestStack\/AdminGet\) was added directly on the REST API/);
  });

  test('an L1 CfnMethod on an L1 CfnResource under a resource addRoute created fails synthesis, naming the full path', () => {
    const { app, stack, api } = newApi();
    const things = api.addRoute('GET /things', integration());
    const raw = new CfnResource(stack, 'RawRes', { restApiId: api.restApi.restApiId, parentId: things.resource.resourceId, pathPart: 'raw' });
    new CfnMethod(stack, 'RawPut', { restApiId: api.restApi.restApiId, resourceId: raw.ref, httpMethod: 'PUT', authorizationType: 'NONE', integration: { type: 'MOCK' } });
    expect(() => app.synth()).toThrow(/PUT \/things\/raw \(CfnMethod TestStack\/RawPut\) was added directly/);
  });

  test('an L1 CfnMethod on a resource id CDK cannot follow fails synthesis, naming its construct path', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new CfnMethod(stack, 'Opaque', { restApiId: api.restApi.restApiId, resourceId: 'abc123', httpMethod: 'PATCH', authorizationType: 'NONE', integration: { type: 'MOCK' } });
    expect(() => app.synth()).toThrow(/PATCH \(path not known\) \(CfnMethod TestStack\/Opaque\) was added directly on the REST API/);
  });

  test('a method added through an imported copy of the API in a nested stack fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const nested = new NestedStack(stack, 'Admin');
    const imported = RestApi.fromRestApiAttributes(nested, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    imported.root.addResource('admin').addMethod('GET', integration());
    expect(() => app.synth()).toThrow(/GET \/admin was added directly on an imported copy of the REST API.*allowDirectMethod/);
  });

  test('a Method constructed on an imported copy of the root in the same stack fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const imported = RestApi.fromRestApiAttributes(stack, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    const secret = new Resource(stack, 'Secret', { parent: imported.root, pathPart: 'secret' });
    new Method(stack, 'SecretGet', { resource: secret, httpMethod: 'GET', integration: integration() });
    expect(() => app.synth()).toThrow(/GET \/secret was added directly on an imported copy of the REST API/);
  });

  test('a method added through an imported copy of the API in another stack fails synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported = RestApi.fromRestApiAttributes(other, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    imported.root.addResource('other').addMethod('POST', integration());
    expect(() => app.synth()).toThrow(/POST \/other was added directly on an imported copy of the REST API/);
  });

  test('allowDirectMethod accepts a method added through an imported copy of the API in a nested stack', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const nested = new NestedStack(stack, 'Status');
    const imported = RestApi.fromRestApiAttributes(nested, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    api.allowDirectMethod(imported.root.addResource('status').addMethod('GET', integration()), 'load balancer health check');
    expect(() => app.synth()).not.toThrow();
  });

  test('methods of another REST API in the same app are not this construct\'s concern', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new RestApi(stack, 'Unrelated');
    other.root.addResource('open').addMethod('GET', integration());
    new CfnMethod(stack, 'UnrelatedRaw', { restApiId: other.restApiId, resourceId: other.root.resourceId, httpMethod: 'POST', authorizationType: 'NONE', integration: { type: 'MOCK' } });
    expect(() => app.synth()).not.toThrow();
  });
});
