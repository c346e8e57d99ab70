import { App, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnMethod, MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { url } from './http-api-synth';
import { keepForLint, readAuthorizerAsset } from './synth';
import { Auth0HttpAuthorizer, Auth0RestAuthorizer } from '../../src';
import { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/**
 * The standalone authorizers' route tables are read from what CloudFormation will deploy: a method
 * or route the template sends to the authorizer is in its table (with the scopes its withScopes
 * variant asked for), one overridden away is not, and the authorizer resource itself is checked
 * as the constructs' is (identity sources, type, response format, function, TTL).
 */

const PROPS = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

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

const restRoutes = (config: AuthorizerConfig) => config.routes.map((r) => `${r.method} ${r.path} ${r.scopes.join(',')}`.trim()).sort();
const httpRoutes = (config: AuthorizerConfig) => (config.httpRoutes ?? []).map((r) => `${r.routeKey} ${r.scopes.join(',')}`.trim()).sort();

/** The logical IDs of the methods (or routes) the template sends to the one authorizer of `type`. */
function deployedWithAuthorizer(template: Template, methodType: string, authorizerType: string): string[] {
  const [authorizer] = Object.keys(template.findResources(authorizerType));
  return Object.entries(template.findResources(methodType))
    .filter(([, m]) => m.Properties.AuthorizationType === 'CUSTOM' && m.Properties.AuthorizerId?.Ref === authorizer)
    .map(([id]) => id);
}

const cfnAuthorizerOf = (auth: IConstruct) => auth.node.findChild('RequestAuthorizer').node.defaultChild as CfnResource;

describe('Auth0RestAuthorizer: the route table is what deploys', () => {
  function restApp() {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', { ...PROPS, requiredScopes: ['api'] });
    const api = new RestApi(stack, 'Api');
    const orders = api.root.addResource('orders');
    const list = orders.addMethod('GET', new MockIntegration(), { authorizer: auth });
    const create = orders.addMethod('POST', new MockIntegration(), { authorizer: auth.withScopes('write:orders') });
    const health = api.root.addResource('health').addMethod('GET', new MockIntegration());
    return { app, stack, auth, api, list, create, health };
  }

  test('a method an override sends to the authorizer is in its table', () => {
    const { app, stack, auth, health } = restApp();
    const cfn = health.node.defaultChild as CfnMethod;
    cfn.addPropertyOverride('AuthorizationType', 'CUSTOM');
    cfn.addPropertyOverride('AuthorizerId', { Ref: stack.getLogicalId(cfnAuthorizerOf(auth)) });
    const { template, config } = synth(app, stack);
    expect(deployedWithAuthorizer(template, 'AWS::ApiGateway::Method', 'AWS::ApiGateway::Authorizer')).toHaveLength(3);
    expect(restRoutes(config)).toEqual(['GET /health api', 'GET /orders api', 'POST /orders api,write:orders']);
  });

  test('a method an override takes away from the authorizer is not in its table', () => {
    const { app, stack, create } = restApp();
    const cfn = create.node.defaultChild as CfnMethod;
    cfn.addPropertyOverride('AuthorizationType', 'AWS_IAM');
    cfn.addDeletionOverride('Properties.AuthorizerId');
    const { template, config } = synth(app, stack);
    expect(deployedWithAuthorizer(template, 'AWS::ApiGateway::Method', 'AWS::ApiGateway::Authorizer')).toHaveLength(1);
    expect(restRoutes(config)).toEqual(['GET /orders api']);
  });

  test('a withScopes variant set by override keeps its scopes; an L1 method is read by its rendered resource chain', () => {
    const { app, stack, auth, api, health } = restApp();
    const cfn = health.node.defaultChild as CfnMethod;
    cfn.addPropertyOverride('AuthorizationType', 'CUSTOM');
    cfn.addPropertyOverride('AuthorizerId', auth.withScopes('read:health').authorizerId);
    const admin = api.root.addResource('admin');
    new CfnMethod(stack, 'L1Admin', {
      restApiId: api.restApiId,
      resourceId: admin.resourceId,
      httpMethod: 'DELETE',
      authorizationType: 'CUSTOM',
      authorizerId: auth.withScopes('admin').authorizerId,
      integration: { type: 'MOCK' },
    });
    const { config } = synth(app, stack);
    expect(restRoutes(config)).toEqual(['DELETE /admin admin,api', 'GET /health api,read:health', 'GET /orders api', 'POST /orders api,write:orders']);
  });

  test('withScopes variants deploy as the authorizer\'s id, across stacks too', () => {
    const { app, stack } = setup();
    const other = new Stack(app, 'MethodStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const api = new RestApi(stack, 'Api');
    api.root.addMethod('GET', new MockIntegration());
    // Methods in another stack, on an imported copy of the API (as CDK splits an API across stacks).
    const copy = RestApi.fromRestApiAttributes(other, 'Copy', { restApiId: api.restApiId, rootResourceId: api.restApiRootResourceId });
    copy.root.addResource('a').addMethod('GET', new MockIntegration(), { authorizer: auth });
    copy.root.addResource('b').addMethod('GET', new MockIntegration(), { authorizer: auth.withScopes('b') });
    const { config } = synth(app, stack);
    expect(restRoutes(config)).toEqual(['GET /a', 'GET /b b']);
    const methods = Template.fromJSON(app.synth().getStackByName(other.stackName).template).findResources('AWS::ApiGateway::Method');
    const ids = Object.values(methods).map((m) => JSON.stringify(m.Properties.AuthorizerId));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/Fn::ImportValue/);
    expect(ids[1]).toEqual(ids[0]);
  });

  test('an edit after the table was built (a later aspect) fails synthesis instead of deploying a stale table', () => {
    const { app, stack, health, auth } = restApp();
    const logicalId = () => stack.getLogicalId(cfnAuthorizerOf(auth));
    Aspects.of(app).add(new OverrideAfterStaging(health.node.defaultChild as CfnResource, (cfn) => {
      cfn.addPropertyOverride('AuthorizationType', 'CUSTOM');
      cfn.addPropertyOverride('AuthorizerId', { Ref: logicalId() });
    }));
    expect(() => app.synth()).toThrow(/GET \/health .*deploys with this authorizer, but its route table was built before .*changed it/);
  });

  test('an IdentitySource override without the Authorization header fails synthesis', () => {
    const { app, auth } = restApp();
    cfnAuthorizerOf(auth).addPropertyOverride('IdentitySource', 'method.request.header.Host');
    expect(() => app.synth()).toThrow(/Auth\/RequestAuthorizer\/Resource\) deploys with IdentitySource "method.request.header.Host", which lacks method.request.header.Authorization/);
  });

  test('in route mode, an IdentitySource override without method and resource path fails synthesis', () => {
    const { app, stack } = setup();
    const auth = new Auth0RestAuthorizer(stack, 'Auth', PROPS);
    const item = new RestApi(stack, 'Api').root.addResource('items').addResource('{id}');
    item.addMethod('GET', new MockIntegration(), { authorizer: auth });
    item.addResource('secret').addMethod('GET', new MockIntegration(), { authorizer: auth.withScopes('admin') });
    cfnAuthorizerOf(auth).addPropertyOverride('IdentitySource', 'method.request.header.Authorization');
    expect(() => app.synth()).toThrow(/which lacks context.httpMethod, context.resourcePath/);
  });

  test('a TOKEN type or another cache TTL by override fails synthesis', () => {
    const { app, auth } = restApp();
    cfnAuthorizerOf(auth).addPropertyOverride('Type', 'TOKEN');
    cfnAuthorizerOf(auth).addPropertyOverride('AuthorizerResultTtlInSeconds', 3600);
    expect(() => app.synth()).toThrow(/Type "TOKEN", expected "REQUEST"[\s\S]*AuthorizerResultTtlInSeconds 3600, expected 300/);
  });
});

describe('Auth0HttpAuthorizer: the route table is what deploys', () => {
  function httpApp() {
    const { app, stack } = setup();
    const auth = new Auth0HttpAuthorizer(stack, 'Auth', { ...PROPS, requiredScopes: ['api'] });
    const httpApi = new HttpApi(stack, 'Api');
    const [list] = httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url(), authorizer: auth });
    const [create] = httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration: url(), authorizer: auth.withScopes('write:orders') });
    const [health] = httpApi.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: url() });
    return { app, stack, auth, httpApi, list, create, health };
  }

  test('a route an override sends to the authorizer is in its table', () => {
    const { app, stack, auth, health } = httpApp();
    const cfn = health.node.defaultChild as CfnRoute;
    cfn.addPropertyOverride('AuthorizationType', 'CUSTOM');
    cfn.addPropertyOverride('AuthorizerId', { Ref: stack.getLogicalId(cfnAuthorizerOf(auth)) });
    const { template, config } = synth(app, stack);
    expect(deployedWithAuthorizer(template, 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Authorizer')).toHaveLength(3);
    expect(httpRoutes(config)).toEqual(['GET /health api', 'GET /orders api', 'POST /orders api,write:orders']);
  });

  test('a route an override takes away from the authorizer is not in its table', () => {
    const { app, stack, create } = httpApp();
    const cfn = create.node.defaultChild as CfnRoute;
    cfn.addPropertyOverride('AuthorizationType', 'AWS_IAM');
    cfn.addDeletionOverride('Properties.AuthorizerId');
    const { config } = synth(app, stack);
    expect(httpRoutes(config)).toEqual(['GET /orders api']);
  });

  test('a route key changed by override is keyed as it deploys, with its variant\'s scopes', () => {
    const { app, stack, create } = httpApp();
    (create.node.defaultChild as CfnRoute).addPropertyOverride('RouteKey', 'PUT /orders');
    const { config } = synth(app, stack);
    expect(httpRoutes(config)).toEqual(['GET /orders api', 'PUT /orders api,write:orders']);
  });

  test('an edit after the table was built (a later aspect) fails synthesis instead of deploying a stale table', () => {
    const { app, list } = httpApp();
    Aspects.of(app).add(new OverrideAfterStaging(list.node.defaultChild as CfnResource, (cfn) => cfn.addPropertyOverride('RouteKey', 'GET /elsewhere')));
    expect(() => app.synth()).toThrow(/GET \/elsewhere .*deploys with this authorizer, but its route table was built before .*changed it/);
  });

  test('an IdentitySource override without the route key fails synthesis', () => {
    const { app, auth } = httpApp();
    cfnAuthorizerOf(auth).addPropertyOverride('IdentitySource', ['$request.header.Authorization']);
    expect(() => app.synth()).toThrow(/Auth\/RequestAuthorizer\/Resource\) deploys with IdentitySource "\$request.header.Authorization", which lacks \$context.routeKey/);
  });

  test('another response format or cache TTL by override fails synthesis', () => {
    const { app, auth } = httpApp();
    cfnAuthorizerOf(auth).addPropertyOverride('EnableSimpleResponses', false);
    cfnAuthorizerOf(auth).addPropertyOverride('AuthorizerResultTtlInSeconds', 0);
    expect(() => app.synth()).toThrow(/EnableSimpleResponses false, expected true[\s\S]*AuthorizerResultTtlInSeconds 0, expected 300/);
  });
});

/** Edits one resource from an aspect that runs after every other aspect has visited it. */
class OverrideAfterStaging implements IAspect {
  private done = false;
  constructor(private readonly target: CfnResource, private readonly edit: (cfn: CfnResource) => void) {}
  public visit(node: IConstruct): void {
    if (node !== this.target || this.done) return;
    this.done = true;
    this.edit(this.target);
  }
}
