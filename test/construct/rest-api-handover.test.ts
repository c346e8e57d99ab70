import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AuthorizationType, CognitoUserPoolsAuthorizer, Cors, Method, MockIntegration, ResponseType, RestApi, SpecRestApi, ApiDefinition,
} from 'aws-cdk-lib/aws-apigateway';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { BASE_PROPS, integration, keepForLint, readAuthorizerAsset } from './synth';
import { Auth0ProtectedApi, Auth0ProtectedApiProps } from '../../src';
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

function protect(stack: Stack, restApi: RestApi, props: Partial<Auth0ProtectedApiProps> = {}): Auth0ProtectedApi {
  return new Auth0ProtectedApi(stack, 'Auth', { ...BASE_PROPS, restApi, ...props });
}

/** The logical ID of the construct's request authorizer. */
function authorizerLogicalId(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function methodAt(template: Template, httpMethod: string, pathPart: string | undefined) {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const resourceId = pathPart === undefined ? undefined : Object.keys(resources).find((id) => resources[id].Properties.PathPart === pathPart);
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: httpMethod } }))
    .filter((m) => (resourceId === undefined ? m.Properties.ResourceId['Fn::GetAtt'] !== undefined : m.Properties.ResourceId.Ref === resourceId));
  expect(methods).toHaveLength(1);
  return methods[0].Properties;
}

describe('a handed-over RestApi', () => {
  test('protects methods added before and after the construct, through addMethod, addProxy and addRoute', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('before').addMethod('GET', new MockIntegration());
    const api = protect(stack, restApi);
    restApi.root.addResource('after').addMethod('POST', new MockIntegration());
    restApi.root.addResource('files').addProxy({ defaultIntegration: new MockIntegration(), anyMethod: true });
    api.addRoute('GET /routed', integration(), { scopes: ['read:routed'] });

    const { template, config } = synth(app, stack);
    expect(api.restApi).toBe(restApi);
    const authorizer = authorizerLogicalId(template);
    for (const [verb, part] of [['GET', 'before'], ['POST', 'after'], ['ANY', '{proxy+}'], ['GET', 'routed']]) {
      expect(methodAt(template, verb, part)).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
    }
    expect(config.routes.map((r) => `${r.method} ${r.path} ${r.scopes.join(',')}`).sort()).toEqual([
      'ANY /files/{proxy+} ', 'GET /before ', 'GET /routed read:routed', 'POST /after ',
    ]);
    // One API: the construct created none of its own.
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
  });

  test('a LambdaRestApi-style proxy at the root is protected, ANY / and ANY /{proxy+}', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing', { defaultIntegration: new MockIntegration() });
    restApi.root.addProxy();
    protect(stack, restApi);
    const { config } = synth(app, stack);
    expect(config.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
  });

  test('changes the deployment logical ID, so a deployed stage is redeployed with the authorizer', () => {
    const deploymentId = (withConstruct: boolean) => {
      const { app, stack } = setup();
      const restApi = new RestApi(stack, 'Existing');
      restApi.root.addResource('x').addMethod('GET', new MockIntegration());
      if (withConstruct) protect(stack, restApi);
      const template = Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
      return Object.keys(template.findResources('AWS::ApiGateway::Deployment'))[0];
    };
    expect(deploymentId(true)).not.toEqual(deploymentId(false));
  });
  test('a method listed in publicRoutes stays open', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('health').addMethod('GET', new MockIntegration());
    restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
    const api = protect(stack, restApi, { publicRoutes: ['GET /health'] });
    const { template, config } = synth(app, stack);
    expect(methodAt(template, 'GET', 'health')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(config.routes.map((r) => r.path)).toEqual(['/orders']);
    expect(api.publicRoutes).toEqual(['GET /health']);
  });

  test('requireScopes adds scopes to a method its owner created', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    const method = restApi.root.addResource('orders').addMethod('POST', new MockIntegration());
    protect(stack, restApi, { requiredScopes: ['api'] }).requireScopes(method, ['write:orders']);
    const { config } = synth(app, stack);
    expect(config.routes).toEqual([expect.objectContaining({ method: 'POST', path: '/orders', scopes: ['api', 'write:orders'] })]);
  });

  test('requireScopes is refused, never ignored, on a method the authorizer does not protect', () => {
    const build = (kind: 'allowed' | 'preflight') => {
      const { app, stack } = setup();
      const restApi = new RestApi(stack, 'Existing', { defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'] } });
      const admin = restApi.root.addResource('admin');
      const iam = admin.addMethod('DELETE', new MockIntegration(), { authorizationType: AuthorizationType.IAM });
      restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
      const api = protect(stack, restApi);
      if (kind === 'allowed') {
        // In either order: the scopes cannot apply to a method left to its own authorization.
        api.requireScopes(iam, ['admin']);
        api.allowDirectMethod(iam, 'operators sign with IAM');
      } else {
        api.allowDirectMethod(iam, 'operators sign with IAM');
        api.requireScopes(admin.node.findChild('OPTIONS') as Method, ['admin']);
      }
      return app.synth();
    };
    expect(() => build('allowed')).toThrow(/requireScopes: DELETE \/admin is accepted with allowDirectMethod.*not protected by this construct's authorizer.*Drop requireScopes/);
    expect(() => build('preflight')).toThrow(/requireScopes: OPTIONS \/admin is the CORS preflight.*never reaches the authorizer/);
  });

  test('authorizationScopes the owner gave a method fail synthesis instead of being dropped', () => {
    // CDK keeps AuthorizationScopes only for Cognito authorizers; taken over, the method would
    // silently accept any valid token.
    const build = (where: 'method' | 'default') => {
      const { app, stack } = setup();
      const restApi = new RestApi(stack, 'Existing', where === 'default' ? { defaultMethodOptions: { authorizationScopes: ['admin'] } } : {});
      restApi.root.addResource('admin').addMethod('DELETE', new MockIntegration(), where === 'method' ? { authorizationScopes: ['admin'] } : {});
      protect(stack, restApi);
      return app.synth();
    };
    for (const where of ['method', 'default'] as const) {
      expect(() => build(where)).toThrow(/DELETE \/admin .*authorizationScopes.*requireScopes\(method, \[/);
    }
  });

  test('requireScopes is refused on an API the construct created', () => {
    const { stack } = setup();
    const api = new Auth0ProtectedApi(stack, 'Auth', BASE_PROPS);
    const method = api.restApi.root.addMethod('GET', new MockIntegration());
    expect(() => api.requireScopes(method, ['x'])).toThrow(/requireScopes: GET \/: this construct created its REST API.*addRoute\(route, integration, \{ scopes \}\)/);
  });

  test('fails naming a method its owner gave IAM authorization, with the fix', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('admin').addMethod('GET', new MockIntegration(), { authorizationType: AuthorizationType.IAM });
    protect(stack, restApi);
    expect(() => app.synth()).toThrow(/GET \/admin was added directly on restApi \(authorization AWS_IAM\).*allowDirectMethod/);
  });

  test('fails naming a method behind a Cognito authorizer; allowDirectMethod accepts it', () => {
    const build = (allow: boolean) => {
      const { app, stack } = setup();
      const restApi = new RestApi(stack, 'Existing');
      const authorizer = new CognitoUserPoolsAuthorizer(stack, 'Cognito', { cognitoUserPools: [new UserPool(stack, 'Pool')] });
      const method = restApi.root.addResource('staff').addMethod('GET', new MockIntegration(), { authorizer });
      restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
      const api = protect(stack, restApi);
      if (allow) api.allowDirectMethod(method, 'staff sign in with Cognito');
      return synth(app, stack);
    };
    expect(() => build(false)).toThrow(/GET \/staff was added directly on restApi \(authorization COGNITO_USER_POOLS\)/);
    const { template, config } = build(true);
    expect(methodAt(template, 'GET', 'staff')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS' });
    expect(config.routes.map((r) => r.path)).toEqual(['/orders']);
  });

  test('CORS preflight methods of the owner stay open, and the 401 carries the owner\'s CORS origin', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing', { defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'], allowHeaders: Cors.DEFAULT_HEADERS } });
    restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
    protect(stack, restApi);
    const { template, config } = synth(app, stack);
    expect(methodAt(template, 'OPTIONS', 'orders')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(config.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /orders']);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="invalid_token"\'',
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      }),
    });
  });

  test('keeps an owner\'s 401 response that carries WWW-Authenticate and adds the 403', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
    restApi.addGatewayResponse('Mine', { type: ResponseType.UNAUTHORIZED, responseHeaders: { 'WWW-Authenticate': "'Bearer realm=\"acme\"'" } });
    protect(stack, restApi);
    const { template } = synth(app, stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'UNAUTHORIZED', ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer realm=\"acme\"'" } });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'ACCESS_DENIED' });
  });

  test('fails on an owner\'s 403 response without WWW-Authenticate, naming it and the fix', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
    protect(stack, restApi);
    restApi.addGatewayResponse('Mine', { type: ResponseType.ACCESS_DENIED, responseHeaders: { 'X-Why': "'no'" } });
    expect(() => app.synth()).toThrow(/restApi: your gateway response ACCESS_DENIED \(TestStack\/Existing\/Mine\) has no WWW-Authenticate header.*Remove yours/);
  });

  test('warns when the owner\'s stage writes no access logs, and leaves the stage as it is', () => {
    const { stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addResource('orders').addMethod('GET', new MockIntegration());
    const api = protect(stack, restApi);
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth', Match.stringLikeRegexp('stage "prod" writes no access logs'));
    expect(api.accessLogGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { AccessLogSetting: Match.absent(), MethodSettings: Match.absent() });
    template.resourceCountIs('AWS::Logs::LogGroup', 1); // the authorizer's own
  });

  test('refuses an API imported by id, with the reason', () => {
    const { stack } = setup();
    const imported = RestApi.fromRestApiId(stack, 'Imported', 'abc123');
    expect(() => protect(stack, imported as RestApi)).toThrow(/restApi: the construct at TestStack\/Imported is not a RestApi defined in this app.*Auth0RestAuthorizer/);
  });

  test('refuses a SpecRestApi, with the reason', () => {
    const { stack } = setup();
    const spec = new SpecRestApi(stack, 'Spec', { apiDefinition: ApiDefinition.fromInline({ openapi: '3.0.2', paths: {} }) });
    expect(() => protect(stack, spec as unknown as RestApi)).toThrow(/restApi: a SpecRestApi keeps its methods in an OpenAPI definition/);
  });

  test('refuses props that shape only an API the construct creates', () => {
    const { stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    expect(() => protect(stack, restApi, { throttle: { rateLimit: 1 }, cors: { allowOrigins: ['https://a.example'] } }))
      .toThrow(/restApi: cors, throttle are set too.*set them on your RestApi/);
  });

  test('addRoute refuses a per-route throttle on a handed-over API', () => {
    const { stack } = setup();
    const api = protect(stack, new RestApi(stack, 'Existing'));
    expect(() => api.addRoute('GET /x', integration(), { throttle: { rateLimit: 1 } })).toThrow(/addRoute: route "GET \/x" sets throttle, but the handed-over restApi's stage is yours/);
  });

  test('alarms work on a handed-over API', () => {
    const { stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addMethod('GET', new MockIntegration());
    const alarms = protect(stack, restApi).addAlarms();
    expect(alarms).toHaveLength(3);
  });

  test('the authorizer function is the only Lambda function the construct adds', () => {
    const { app, stack } = setup();
    const restApi = new RestApi(stack, 'Existing');
    restApi.root.addMethod('GET', new MockIntegration());
    const backend = new LambdaFunction(stack, 'Backend', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler=async()=>({})') });
    // The user's function as cfn-lint wants it: its Role GetAtt already orders it after the role (W3005).
    (backend.node.defaultChild as CfnResource).addDeletionOverride('DependsOn');
    protect(stack, restApi);
    const { template } = synth(app, stack);
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });
});
