import { NestedStack, Stack } from 'aws-cdk-lib';
import { CfnApi, CfnRoute, CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { newHttpApi, url } from './http-api-synth';
import { Auth0ProtectedHttpApi } from '../../src';

const env = { account: '123456789012', region: 'us-east-1' };

function base(props = {}) {
  const made = newHttpApi(props);
  made.api.addRoute('GET /things', url());
  return made;
}

const cfnRouteOf = (api: Auth0ProtectedHttpApi, routeKey: string) =>
  api.node.findAll().find((c) => c instanceof CfnRoute && c.routeKey === routeKey) as CfnRoute;

describe('every route of the HTTP API in the app is checked', () => {
  test('a route on the construct\'s httpApi in another stack is named', () => {
    const { app, api } = base();
    const other = new Stack(app, 'OtherStack', { env });
    new HttpRoute(other, 'Open', { httpApi: api.httpApi, routeKey: HttpRouteKey.with('/open', HttpMethod.GET), integration: url() });
    expect(() => app.synth()).toThrow(/route "GET \/open" \(OtherStack\/Open\/Resource\) does not use this construct's authorizer/);
  });

  test('a route in a nested stack is named', () => {
    const { app, stack, api } = base();
    const nested = new NestedStack(stack, 'Nested');
    new HttpRoute(nested, 'Open', { httpApi: api.httpApi, routeKey: HttpRouteKey.with('/nested', HttpMethod.GET), integration: url() });
    expect(() => app.synth()).toThrow(/GET \/nested/);
  });

  test('a route on an imported copy (fromHttpApiAttributes with the construct\'s apiId) in another stack is named', () => {
    const { app, api } = base();
    const other = new Stack(app, 'OtherStack2', { env });
    const imported = HttpApi.fromHttpApiAttributes(other, 'Imported', { httpApiId: api.httpApi.apiId });
    new HttpRoute(other, 'Open', { httpApi: imported, routeKey: HttpRouteKey.with('/imported', HttpMethod.GET), integration: url() });
    expect(() => app.synth()).toThrow(/GET \/imported/);
  });

  test('an L1 CfnRoute whose apiId is Fn::GetAtt ApiId of the API is named', () => {
    const { app, stack, api } = base();
    new CfnRoute(stack, 'L1GetAtt', { apiId: (api.httpApi.node.defaultChild as CfnApi).attrApiId, routeKey: 'GET /getatt' });
    expect(() => app.synth()).toThrow(/GET \/getatt/);
  });

  test('a route made with a second copy of aws-cdk-lib is named', () => {
    const { app, stack, api } = base();
    let Other: typeof CfnRoute | undefined;
    jest.isolateModules(() => { Other = jest.requireActual<typeof import('aws-cdk-lib/aws-apigatewayv2')>('aws-cdk-lib/aws-apigatewayv2').CfnRoute; });
    expect(Other).not.toBe(CfnRoute);
    new Other!(stack as any, 'OtherCopy', { apiId: api.httpApi.apiId, routeKey: 'GET /copy' });
    expect(() => app.synth()).toThrow(/GET \/copy/);
  });

  test('a route of another HTTP API in the same app is not named', () => {
    const { app, stack } = base();
    const otherApi = new HttpApi(stack, 'Unrelated');
    new HttpRoute(stack, 'Open', { httpApi: otherApi, routeKey: HttpRouteKey.with('/open', HttpMethod.GET), integration: url() });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the construct\'s own routes are re-checked', () => {
  test('a CUSTOM route with this authorizer but a route key the configuration lacks is named', () => {
    const { app, stack, api } = base();
    new CfnRoute(stack, 'Borrowed', { apiId: api.httpApi.apiId, routeKey: 'DELETE /things', authorizationType: 'CUSTOM', authorizerId: cfnRouteOf(api, 'GET /things').authorizerId });
    expect(() => app.synth()).toThrow(/route "DELETE \/things" .*uses this construct's authorizer, whose configuration does not know it/);
  });

  test('a public route whose route key is changed by escape hatch is named', () => {
    const { app, api } = newHttpApi({ publicRoutes: ['GET /health'] });
    const [health] = api.addRoute('GET /health', url());
    api.addRoute('GET /things', url());
    (health.node.defaultChild as CfnRoute).routeKey = 'GET /admin/{proxy+}';
    expect(() => app.synth()).toThrow(/GET \/admin\/\{proxy\+\}/);
  });

  test('a public route given an authorization type by escape hatch is named', () => {
    const { app, api } = newHttpApi({ publicRoutes: ['GET /health'] });
    const [health] = api.addRoute('GET /health', url());
    (health.node.defaultChild as CfnRoute).authorizationType = 'AWS_IAM';
    expect(() => app.synth()).toThrow(/GET \/health.*AWS_IAM/);
  });

  test('a protected route whose route key is changed by escape hatch is named', () => {
    const { app, api } = base();
    cfnRouteOf(api, 'GET /things').routeKey = 'GET /other';
    expect(() => app.synth()).toThrow(/GET \/other/);
  });

  test.each([
    ['AuthorizationType', 'NONE'],
    ['RouteKey', 'GET /admin'],
    ['AuthorizerId', 'abc123'],
  ])('a protected route whose %s is overridden with addPropertyOverride is named', (property, value) => {
    const { app, api } = base();
    cfnRouteOf(api, 'GET /things').addPropertyOverride(property, value);
    expect(() => app.synth()).toThrow(new RegExp(`route "GET /things" .*overrides ${property}`));
  });

  test('an override on a route of another stack is named too', () => {
    const { app, api } = base();
    const other = new Stack(app, 'OtherStack', { env });
    const route = new HttpRoute(other, 'Borrowed', { httpApi: api.httpApi, routeKey: HttpRouteKey.with('/things', HttpMethod.POST), integration: url() });
    (route.node.defaultChild as CfnRoute).addOverride('Properties.AuthorizationType', 'AWS_IAM');
    expect(() => app.synth()).toThrow(/route "POST \/things" \(OtherStack\/Borrowed\/Resource\).*overrides AuthorizationType/);
  });

  test('a preflight route pointed at another integration is named', () => {
    const { app, api } = newHttpApi({ cors: { allowOrigins: ['https://app.example.com'] } });
    const [, preflight] = api.addRoute('ANY /files/{proxy+}', url());
    const [protectedRoute] = api.addRoute('GET /things', url());
    (preflight.node.defaultChild as CfnRoute).target = (protectedRoute.node.defaultChild as CfnRoute).target;
    expect(() => app.synth()).toThrow(/OPTIONS \/files\/\{proxy\+\}/);
  });
});

describe('stages', () => {
  test('a stage added with httpApi.addStage fails synthesis, naming it and the fix', () => {
    const { app, api } = base();
    api.httpApi.addStage('prod', { stageName: 'prod', autoDeploy: true });
    expect(() => app.synth()).toThrow(/stage "prod" .*has no access logs or throttling/);
  });

  test('a stage in another stack on the API fails synthesis too', () => {
    const { app, api } = base();
    const other = new Stack(app, 'StageStack', { env });
    new CfnStage(other, 'Prod', { apiId: api.httpApi.apiId, stageName: 'prod2' });
    expect(() => app.synth()).toThrow(/stage "prod2"/);
  });

  test('a stage with its own access logs and throttling is accepted', () => {
    const { app, api } = base();
    const stage = api.httpApi.addStage('prod', { stageName: 'prod', throttle: { rateLimit: 10, burstLimit: 20 } });
    (stage.node.defaultChild as CfnStage).accessLogSettings = { destinationArn: api.accessLogGroup!.logGroupArn, format: '$context.requestId' };
    expect(() => app.synth()).not.toThrow();
  });
});
