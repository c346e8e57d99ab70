import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CfnElement, CfnResource, CfnStack, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import { CfnMethod, MockIntegration, RestApi, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, CfnPermission, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { newHttpApi, url } from './http-api-synth';
import { integration, newApi } from './synth';
import { Auth0ProtectedApi, Auth0ProtectedHttpApi } from '../../src';

/**
 * Ways to write a resource that CloudFormation deploys as a method, route, authorizer or
 * permission of the library's API or function, other than the plain one: the checks read each
 * resource as it deploys, so each of these is seen (and named) like the plain form.
 */

const logicalIdOf = (stack: Stack, resource: CfnResource): string => stack.resolve(resource.logicalId);
const restApiResource = (api: Auth0ProtectedApi) => api.restApi.node.defaultChild as CfnResource;
const functionResource = (api: Auth0ProtectedApi | Auth0ProtectedHttpApi) => api.authorizerFunction.node.defaultChild as CfnResource;

/** An open `DELETE /` on the REST API, with the API id written as given. */
function openRootMethod(stack: Stack, api: Auth0ProtectedApi, id: string, restApiId: unknown): CfnResource {
  return new CfnResource(stack, id, {
    type: 'AWS::ApiGateway::Method',
    properties: { RestApiId: restApiId, ResourceId: api.restApi.root.resourceId, HttpMethod: 'DELETE', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } },
  });
}

describe('the resource type is read as it deploys', () => {
  test('a resource whose Type is overridden to AWS::ApiGateway::Method on the REST API fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const disguised = new CfnResource(stack, 'Disguised', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    disguised.addOverride('Type', 'AWS::ApiGateway::Method');
    disguised.addOverride('Properties', { RestApiId: api.restApi.restApiId, ResourceId: api.restApi.root.resourceId, HttpMethod: 'DELETE', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } });
    expect(() => app.synth()).toThrow(/DELETE \/ \(AWS::ApiGateway::Method TestStack\/Disguised\) was added directly on the REST API/);
  });

  test('a resource whose Type is overridden to AWS::ApiGatewayV2::Route on the HTTP API fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    const disguised = new CfnResource(stack, 'Disguised', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    disguised.addOverride('Type', 'AWS::ApiGatewayV2::Route');
    disguised.addOverride('Properties', { ApiId: api.httpApi.apiId, RouteKey: 'GET /admin', AuthorizationType: 'NONE' });
    expect(() => app.synth()).toThrow(/route "GET \/admin" \(TestStack\/Disguised\) does not use this construct's authorizer/);
  });

  test('a resource type written in another letter case is read as that type', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new CfnResource(stack, 'LowerCase', {
      type: 'aws::apigateway::method',
      properties: { RestApiId: api.restApi.restApiId, ResourceId: api.restApi.root.resourceId, HttpMethod: 'DELETE', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } },
    });
    expect(() => app.synth()).toThrow(/DELETE \/ \(aws::apigateway::method TestStack\/LowerCase\) was added directly/);
  });
});

describe('the API id is read wherever it appears in the value', () => {
  test('a method whose RestApiId wraps the API id in Fn::Join fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    openRootMethod(stack, api, 'Joined', Fn.join('', [api.restApi.restApiId, '']));
    expect(() => app.synth()).toThrow(/\(AWS::ApiGateway::Method TestStack\/Joined\) was added directly on the REST API/);
  });

  test('a method whose RestApiId selects the API id with Fn::Select fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    openRootMethod(stack, api, 'Selected', Fn.select(0, [api.restApi.restApiId, 'other']));
    expect(() => app.synth()).toThrow(/\(AWS::ApiGateway::Method TestStack\/Selected\) was added directly on the REST API/);
  });

  test('a method whose RestApiId is a hand-written Fn::Sub of the API\'s logical ID fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const method = openRootMethod(stack, api, 'Substituted', 'placeholder');
    method.addPropertyOverride('RestApiId', { 'Fn::Sub': `\${${logicalIdOf(stack, restApiResource(api))}}` });
    expect(() => app.synth()).toThrow(/\(AWS::ApiGateway::Method TestStack\/Substituted\) was added directly on the REST API/);
  });

  test('a route whose ApiId wraps the HTTP API id in Fn::Join fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new CfnRoute(stack, 'Joined', { apiId: Fn.join('', [api.httpApi.apiId, '']), routeKey: 'GET /admin', authorizationType: 'NONE' });
    expect(() => app.synth()).toThrow(/route "GET \/admin" \(TestStack\/Joined\) does not use this construct's authorizer/);
  });

  test('another API\'s open methods and routes in the same app still synthesize', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new RestApi(stack, 'Other').root.addMethod('GET', new MockIntegration());
    new HttpApi(stack, 'OtherHttp').addRoutes({ path: '/x', integration: url() });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a resource that a transform rewrites at deployment cannot be read, so it is refused', () => {
  // "AWS::Include ... inserts the contents of the specified file at the location of the transform
  // in the template" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html).
  const include = { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/open.yaml' } };

  test('a protected method with Fn::Transform in its properties fails synthesis', () => {
    const { app, api } = newApi();
    const method = api.addRoute('GET /things', integration());
    (method.node.defaultChild as CfnMethod).addPropertyOverride('Fn::Transform', include);
    expect(() => app.synth()).toThrow(/TestStack\/Api\/Api\/Default\/things\/GET\/Resource \(AWS::ApiGateway::Method\) contains Fn::Transform/);
  });

  test('a protected method whose properties a Fn::ForEach loop writes fails synthesis', () => {
    // "Fn::ForEach ... can be used within the Conditions, Outputs, and Resources (including the
    // resource properties) sections" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html).
    const { app, stack, api } = newApi();
    stack.addTransform('AWS::LanguageExtensions');
    const method = api.addRoute('GET /things', integration());
    (method.node.defaultChild as CfnMethod).addPropertyOverride('Fn::ForEach::Open', ['Key', ['AuthorizationType'], { '${Key}': 'NONE' }]);
    expect(() => app.synth()).toThrow(/TestStack\/Api\/Api\/Default\/things\/GET\/Resource \(AWS::ApiGateway::Method\) contains Fn::ForEach::Open/);
  });

  test('a protected HTTP route with Fn::Transform in its properties fails synthesis', () => {
    const { app, api } = newHttpApi();
    const [route] = api.addRoute('GET /things', url());
    (route.node.defaultChild as CfnRoute).addPropertyOverride('Fn::Transform', include);
    expect(() => app.synth()).toThrow(/\(AWS::ApiGatewayV2::Route\) contains Fn::Transform/);
  });
});

describe('the function behind a foreign authorizer, however it is named', () => {
  test('a TokenAuthorizer calling an alias of the REST construct\'s function fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const alias = new Alias(stack, 'Live', { aliasName: 'live', version: api.authorizerFunction.currentVersion });
    new RestApi(stack, 'Other').root.addMethod('GET', new MockIntegration(), { authorizer: new TokenAuthorizer(stack, 'Foreign', { handler: alias }) });
    expect(() => app.synth()).toThrow(/TestStack\/Foreign\/Resource calls the authorizer function of TestStack\/Api/);
  });

  test('a TokenAuthorizer calling a version of the REST construct\'s function fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new RestApi(stack, 'Other').root.addMethod('GET', new MockIntegration(), {
      authorizer: new TokenAuthorizer(stack, 'Foreign', { handler: api.authorizerFunction.currentVersion }),
    });
    expect(() => app.synth()).toThrow(/TestStack\/Foreign\/Resource calls the authorizer function of TestStack\/Api/);
  });

  test('a raw authorizer whose AuthorizerUri is a hand-written Fn::Sub of the function fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new RestApi(stack, 'Other');
    other.root.addMethod('GET', new MockIntegration());
    const raw = new CfnResource(stack, 'Raw', {
      type: 'AWS::ApiGateway::Authorizer',
      properties: { RestApiId: other.restApiId, Name: 'raw', Type: 'TOKEN', IdentitySource: 'method.request.header.Authorization' },
    });
    raw.addPropertyOverride('AuthorizerUri', {
      'Fn::Sub': `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\${${logicalIdOf(stack, functionResource(api))}.Arn}/invocations`,
    });
    expect(() => app.synth()).toThrow(/AWS::ApiGateway::Authorizer TestStack\/Raw calls the authorizer function of TestStack\/Api/);
  });
});

describe('who may invoke the authorizer function', () => {
  test('an invoke permission for any API Gateway API on the REST construct\'s function fails synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.authorizerFunction.grantInvoke(new ServicePrincipal('apigateway.amazonaws.com'));
    expect(() => app.synth()).toThrow(/AWS::Lambda::Permission TestStack\/Api\/Authorizer\/.* lets apigateway.amazonaws.com invoke the authorizer function of TestStack\/Api .*not only this construct's own authorizer/);
  });

  test('a CfnPermission for every API of the account on the HTTP construct\'s function fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new CfnPermission(stack, 'AnyApi', {
      action: 'lambda:InvokeFunction',
      functionName: api.authorizerFunction.functionArn,
      principal: 'apigateway.amazonaws.com',
      sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:*',
    });
    expect(() => app.synth()).toThrow(/AWS::Lambda::Permission TestStack\/AnyApi lets apigateway.amazonaws.com invoke the authorizer function of TestStack\/Api/);
  });

  test('a function URL open to anyone on the authorizer function fails synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    api.authorizerFunction.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    expect(() => app.synth()).toThrow(/AWS::Lambda::Permission .* lets \* invoke the authorizer function of TestStack\/Api/);
  });

  test('the permissions the constructs give their own authorizers are accepted', () => {
    const rest = newApi();
    rest.api.addRoute('GET /things', integration());
    const http = new Auth0ProtectedHttpApi(rest.stack, 'Http', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' });
    http.addRoute('GET /things', url());
    expect(() => rest.app.synth()).not.toThrow();
  });
});

describe('a stack whose template a macro rewrites cannot be read, so it is refused', () => {
  test('the REST API\'s stack with a macro transform fails synthesis, naming the stack and the transform', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    stack.addTransform('AcmeOpenEverything');
    expect(() => app.synth()).toThrow(/stack TestStack declares the transform AcmeOpenEverything.*macro.*rewrites the template at deployment/);
  });

  test('a stack with a method of the REST API and a macro transform fails synthesis', () => {
    const { app, api } = newApi();
    api.addRoute('GET /things', integration());
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported = RestApi.fromRestApiAttributes(other, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    api.allowDirectMethod(imported.root.addResource('mine').addMethod('GET', new MockIntegration()), 'reviewed');
    other.templateOptions.transforms = ['AcmeOpenEverything'];
    expect(() => app.synth()).toThrow(/stack Other declares the transform AcmeOpenEverything/);
  });

  test('the HTTP API\'s stack with a macro transform fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    stack.addTransform('AcmeOpenEverything');
    expect(() => app.synth()).toThrow(/stack TestStack declares the transform AcmeOpenEverything/);
  });

  test('the SAM and language-extension transforms AWS publishes are accepted', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    stack.addTransform('AWS::Serverless-2016-10-31');
    stack.addTransform('AWS::LanguageExtensions');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a nested template the app does not hold cannot be read, so it may not receive the API', () => {
  test('a CfnStack from a template URL given the REST API id fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new CfnStack(stack, 'External', { templateUrl: 'https://bucket.s3.amazonaws.com/open-admin.json', parameters: { RestApiId: api.restApi.restApiId } });
    expect(() => app.synth()).toThrow(/AWS::CloudFormation::Stack TestStack\/External is given the API .* its template is not part of this app/);
  });

  test('a CfnStack given the HTTP API id inside a Fn::Join fails synthesis', () => {
    const { app, stack, api } = newHttpApi();
    api.addRoute('GET /things', url());
    new CfnStack(stack, 'External', { templateUrl: 'https://bucket.s3.amazonaws.com/open-admin.json', parameters: { Api: Fn.join('', ['', api.httpApi.apiId]) } });
    expect(() => app.synth()).toThrow(/AWS::CloudFormation::Stack TestStack\/External is given the API/);
  });

  test('a CfnStack given the authorizer function fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new CfnStack(stack, 'External', { templateUrl: 'https://bucket.s3.amazonaws.com/t.json', parameters: { Fn: api.authorizerFunction.functionArn } });
    expect(() => app.synth()).toThrow(/AWS::CloudFormation::Stack TestStack\/External is given the authorizer function/);
  });

  test('a NestedStack of the app that holds a method of the API is read like any stack', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const nested = new NestedStack(stack, 'Nested');
    const imported = RestApi.fromRestApiAttributes(nested, 'Imported', { restApiId: api.restApi.restApiId, rootResourceId: api.restApi.restApiRootResourceId });
    api.allowDirectMethod(imported.root.addResource('health').addMethod('GET', new MockIntegration()), 'load balancer health check');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('template fragments written outside a CfnResource', () => {
  /** A CfnElement that writes template sections itself, as a hand-rolled "include" would. */
  class RawFragment extends CfnElement {
    constructor(scope: Construct, id: string, private readonly fragment: object) {
      super(scope, id);
    }

    public _toCloudFormation(): object {
      return this.fragment;
    }
  }

  test('a method written into the template by an element that is not a CfnResource fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    new RawFragment(stack, 'Raw', {
      Resources: {
        OpenAdmin: {
          Type: 'AWS::ApiGateway::Method',
          Properties: { RestApiId: api.restApi.restApiId, ResourceId: api.restApi.root.resourceId, HttpMethod: 'DELETE', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } },
        },
      },
    });
    expect(() => app.synth()).toThrow(/TestStack\/Raw writes the resource OpenAdmin \(AWS::ApiGateway::Method\) into the template without a CfnResource/);
  });

  test('an included template whose Transform names a macro, in the API\'s stack, fails synthesis', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const dir = mkdtempSync(join(tmpdir(), 'include-'));
    try {
      writeFileSync(join(dir, 'template.json'), JSON.stringify({ Transform: 'AcmeOpenEverything', Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
      new CfnInclude(stack, 'Included', { templateFile: join(dir, 'template.json') });
      expect(() => app.synth()).toThrow(/stack TestStack declares the transform AcmeOpenEverything/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an included template without a transform still synthesizes', () => {
    const { app, stack, api } = newApi();
    api.addRoute('GET /things', integration());
    const dir = mkdtempSync(join(tmpdir(), 'include-'));
    try {
      writeFileSync(join(dir, 'template.json'), JSON.stringify({ Description: 'legacy', Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
      new CfnInclude(stack, 'Included', { templateFile: join(dir, 'template.json') });
      expect(() => app.synth()).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
