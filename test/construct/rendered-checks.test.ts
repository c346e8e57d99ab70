import { CfnResource as GenericCfnResource, Stack } from 'aws-cdk-lib';
import { CfnMethod, Method } from 'aws-cdk-lib/aws-apigateway';
import { CfnIntegration, CfnRoute, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { newHttpApi, url } from './http-api-synth';
import { integration, newApi } from './synth';
import { Auth0ProtectedApi, Auth0ProtectedHttpApi } from '../../src';

/**
 * The fail-closed checks read each resource as CloudFormation will deploy it: escape-hatch
 * overrides, L1 property edits and generic CfnResources of the same type included.
 */

const cfnOf = (method: Method) => method.node.defaultChild as CfnMethod;

/** A generic `AWS::ApiGateway::Method` on the construct's REST API, at `/` or under a generic resource. */
function genericMethod(stack: Stack, api: Auth0ProtectedApi, id: string, resourceId: string, httpMethod: string): GenericCfnResource {
  return new GenericCfnResource(stack, id, {
    type: 'AWS::ApiGateway::Method',
    properties: { RestApiId: api.restApi.restApiId, ResourceId: resourceId, HttpMethod: httpMethod, AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } },
  });
}

describe('REST: methods as rendered', () => {
  test('a generic CfnResource of type AWS::ApiGateway::Method on the root fails synthesis, naming it and the fix', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    genericMethod(stack, api, 'GenericRoot', api.restApi.root.resourceId, 'DELETE');
    expect(() => app.synth()).toThrow(/DELETE \/ \(AWS::ApiGateway::Method TestStack\/GenericRoot\) was added directly on the REST API \(authorization NONE\).*addRoute\('DELETE \/', integration\)/);
  });

  test('a generic method under a generic AWS::ApiGateway::Resource is named with its full path', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const admin = new GenericCfnResource(stack, 'GenericAdmin', {
      type: 'AWS::ApiGateway::Resource',
      properties: { RestApiId: api.restApi.restApiId, ParentId: api.restApi.root.resourceId, PathPart: 'admin' },
    });
    genericMethod(stack, api, 'GenericAdminGet', admin.ref, 'GET');
    expect(() => app.synth()).toThrow(/GET \/admin \(AWS::ApiGateway::Method TestStack\/GenericAdminGet\) was added directly/);
  });

  test('a method addRoute created whose AuthorizationType is overridden to NONE fails synthesis', () => {
    const { app, api } = newApi();
    cfnOf(api.addRoute('GET /things', integration())).addPropertyOverride('AuthorizationType', 'NONE');
    expect(() => app.synth()).toThrow(/GET \/things \(TestStack\/Api\/Api\/Default\/things\/GET\/Resource\) was added by addRoute as a protected route.*AuthorizationType NONE.*overrides AuthorizationType/);
  });

  test('a method addRoute created whose L1 authorizationType is set to NONE fails synthesis', () => {
    const { app, api } = newApi();
    cfnOf(api.addRoute('GET /things', integration())).authorizationType = 'NONE';
    expect(() => app.synth()).toThrow(/GET \/things .*was added by addRoute as a protected route.*AuthorizationType NONE/);
  });

  test('a method addRoute created whose AuthorizerId is overridden fails synthesis', () => {
    const { app, api } = newApi();
    cfnOf(api.addRoute('GET /things', integration())).addPropertyOverride('AuthorizerId', 'abc123');
    expect(() => app.synth()).toThrow(/GET \/things .*was added by addRoute as a protected route.*another authorizer.*overrides AuthorizerId/);
  });

  test('a method addRoute created whose HttpMethod is overridden fails synthesis', () => {
    const { app, api } = newApi();
    cfnOf(api.addRoute('GET /things', integration())).addOverride('Properties.HttpMethod', 'DELETE');
    expect(() => app.synth()).toThrow(/GET \/things .*was added by addRoute as a protected route.*deploys as DELETE \/things/);
  });

  test('a public route whose resource path part is overridden fails synthesis: it would open another path', () => {
    const { app, api } = newApi({ publicRoutes: ['GET /health'] });
    api.addRoute('GET /things', integration());
    const health = api.addRoute('GET /health', integration());
    (health.resource.node.defaultChild as GenericCfnResource).addPropertyOverride('PathPart', 'admin');
    expect(() => app.synth()).toThrow(/GET \/health .*was added by addRoute as a public route.*deploys as GET \/admin/);
  });

  test('a CORS preflight whose integration is redirected to a backend by an override fails synthesis', () => {
    const { app, api } = newApi({ cors: { allowOrigins: ['https://app.acme.com'] } });
    const things = api.addRoute('GET /things', integration());
    const preflight = things.resource.node.findChild('OPTIONS') as Method;
    cfnOf(preflight).addPropertyOverride('Integration.Type', 'HTTP_PROXY');
    cfnOf(preflight).addPropertyOverride('Integration.Uri', 'https://backend.example.com/things');
    cfnOf(preflight).addPropertyOverride('Integration.IntegrationHttpMethod', 'OPTIONS');
    expect(() => app.synth()).toThrow(/OPTIONS \/things .*is the CORS preflight.*integration HTTP_PROXY.*would reach a backend without a token/);
  });

  test('untouched routes, preflights and allowed methods still synthesize', () => {
    const { app, api } = newApi({ cors: { allowOrigins: ['https://app.acme.com'] }, publicRoutes: ['GET /health'] });
    api.addRoute('GET /things/{id}', integration());
    api.addRoute('GET /health', integration());
    const status = api.restApi.root.addResource('status').addMethod('GET', integration());
    api.allowDirectMethod(status, 'load balancer health check');
    cfnOf(status).addPropertyOverride('AuthorizationType', 'AWS_IAM');
    expect(() => app.synth()).not.toThrow();
  });
});

/** The integration of an HTTP route (its Target is `integrations/<Ref>`). */
function integrationOf(route: HttpRoute): CfnIntegration {
  const stack = Stack.of(route);
  const target = stack.resolve((route.node.defaultChild as CfnRoute).target) as { 'Fn::Join': [string, unknown[]] };
  const ref = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
  return stack.node.findAll().find((c) => c instanceof CfnIntegration && stack.resolve(c.logicalId) === ref) as CfnIntegration;
}

describe('HTTP API: routes as rendered', () => {
  test('a generic CfnResource of type AWS::ApiGatewayV2::Route with no authorization fails synthesis, naming it and the fix', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new GenericCfnResource(stack, 'GenericRoute', {
      type: 'AWS::ApiGatewayV2::Route',
      properties: { ApiId: api.httpApi.apiId, RouteKey: 'GET /admin', AuthorizationType: 'NONE', Target: 'integrations/abc123' },
    });
    expect(() => app.synth()).toThrow(/route "GET \/admin" \(TestStack\/GenericRoute\) does not use this construct's authorizer \(authorization NONE\).*addRoute/);
  });

  test('a generic route on the API by Fn::GetAtt ApiId is named too', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new GenericCfnResource(stack, 'GenericGetAtt', {
      type: 'AWS::ApiGatewayV2::Route',
      properties: { ApiId: (api.httpApi.node.defaultChild as GenericCfnResource).getAtt('ApiId'), RouteKey: 'POST /admin' },
    });
    expect(() => app.synth()).toThrow(/route "POST \/admin" \(TestStack\/GenericGetAtt\)/);
  });

  test('the preflight route whose Target is overridden to a backend integration fails synthesis', () => {
    const { app, api } = newHttpApi({ cors: { allowOrigins: ['https://app.example.com'] } });
    const [files, preflight] = api.addRoute('ANY /files/{proxy+}', url());
    (preflight.node.defaultChild as CfnRoute).addPropertyOverride('Target', (files.node.defaultChild as CfnRoute).target);
    expect(() => app.synth()).toThrow(/route "OPTIONS \/files\/\{proxy\+\}" .*CORS preflight route.*overrides Target/);
  });

  test('the preflight integration redirected to a backend by an override fails synthesis', () => {
    const { app, api } = newHttpApi({ cors: { allowOrigins: ['https://app.example.com'] } });
    const [, preflight] = api.addRoute('ANY /files/{proxy+}', url());
    const cfn = integrationOf(preflight);
    cfn.addPropertyOverride('IntegrationType', 'HTTP_PROXY');
    cfn.addPropertyOverride('IntegrationUri', 'https://backend.example.com/files');
    cfn.addPropertyOverride('IntegrationMethod', 'ANY');
    expect(() => app.synth()).toThrow(/route "OPTIONS \/files\/\{proxy\+\}" .*CORS preflight route.*integration .*no longer calls the preflight responder/);
  });

  test('untouched routes and preflights still synthesize', () => {
    const { app, api } = newHttpApi({ cors: { allowOrigins: ['https://app.example.com'] }, publicRoutes: ['GET /health'] });
    api.addRoute('ANY /files/{proxy+}', url());
    api.addRoute('$default', url());
    api.addRoute('GET /health', url());
    expect(() => app.synth()).not.toThrow();
  });
});

describe('rendering cost', () => {
  test('each checked resource is rendered once per synthesis by the checks of both constructs together, besides CDK\'s own rendering', () => {
    const rest = newApi();
    const method = rest.api.addRoute('GET /things', integration());
    // An HTTP API in the same app: its checks read authorizers of both kinds too.
    const http = new Auth0ProtectedHttpApi(rest.stack, 'Http', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' });
    http.addRoute('GET /things', url());
    // A resource no check reads, to count how often CDK itself renders a resource in a synthesis.
    const unchecked = new GenericCfnResource(rest.stack, 'Topic', { type: 'AWS::SNS::Topic' });
    const spy = (r: GenericCfnResource) => jest.spyOn(r as unknown as { _toCloudFormation: () => object }, '_toCloudFormation');
    const [byCdk, byCdkAndChecks] = [spy(unchecked), spy(cfnOf(method))];
    rest.app.synth();
    expect(byCdk.mock.calls.length).toBeGreaterThan(0);
    expect(byCdkAndChecks).toHaveBeenCalledTimes(byCdk.mock.calls.length + 1);
  });

  test('an edit made between two syntheses is seen by the second', () => {
    const { app, api } = newApi();
    const method = api.addRoute('GET /things', integration());
    expect(() => app.synth()).not.toThrow();
    cfnOf(method).addPropertyOverride('AuthorizationType', 'NONE');
    expect(() => app.synth({ force: true })).toThrow(/GET \/things .*AuthorizationType NONE/);
  });
});
