/**
 * The local HTTP API on hand-written templates: routes whose authorization it does not run answer
 * 501 (never served as public), and paths it cannot decode answer 400 (never a 500).
 */
import { LocalHttpApi } from '../../local/http-api/gateway';
import { selectRoute } from '../../local/http-api/routing';
import { readHttpApis } from '../../local/http-api/template';
import type { FunctionRunner } from '../../local/lambda/function-runner';

const target = { 'Fn::Join': ['', ['integrations/', { Ref: 'Integ' }]] };
const template = {
  Resources: {
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP', Name: 'x' } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { ZipFile: 'exports.handler=async()=>({statusCode:200,body:"backend"})' } } },
    Integ: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    Iam: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /iam', AuthorizationType: 'AWS_IAM', Target: target } },
    Jwt: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /jwt', AuthorizationType: 'JWT', AuthorizerId: 'abc', Target: target } },
    Custom: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /custom', AuthorizationType: 'CUSTOM', AuthorizerId: 'not-a-ref', Target: target } },
    OtherAuthorizer: { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: { ApiId: { Ref: 'Api' }, AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.Authorization'], AuthorizerUri: 'arn:aws:lambda:elsewhere' } },
    Foreign: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /foreign', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'OtherAuthorizer' }, Target: target } },
    Open: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /files/{proxy+}', Target: target } },
  },
};

function gateway() {
  const [api] = readHttpApis(template as never);
  const calls: string[] = [];
  const functions = {
    problem: () => undefined,
    invoke: async () => { calls.push('backend'); return { ok: { statusCode: 200, body: 'backend' } }; },
  } as unknown as FunctionRunner;
  return {
    calls,
    gateway: new LocalHttpApi({
      api,
      functions,
      invokeAuthorizer: async () => { calls.push('authorizer'); return { error: 'x' }; },
      authorizerNotEmulated: (a) => (a.functionLogicalId === undefined ? `authorizer ${a.logicalId} is not this library's` : undefined),
    }),
  };
}

test.each([
  ['/iam', /AWS_IAM/],
  ['/jwt', /JWT/],
  ['/custom', /CUSTOM authorizer .*not a reference/],
  ['/foreign', /authorizer OtherAuthorizer is not this library's/],
])('GET %s: 501 naming the authorization, neither backend nor authorizer called', async (path, why) => {
  const { gateway: g, calls } = gateway();
  const response = await g.handle({ method: 'GET', path });
  expect(response.status).toBe(501);
  expect(response.notEmulated).toMatch(why);
  expect(calls).toEqual([]);
});

test('a route without authorization is still served', async () => {
  const { gateway: g, calls } = gateway();
  expect((await g.handle({ method: 'GET', path: '/files/a.txt' })).status).toBe(200);
  expect(calls).toEqual(['backend']);
});

test('a malformed percent-encoding in a path parameter: 400, not a 500 "URI malformed"', async () => {
  expect(() => selectRoute(['ANY /files/{proxy+}'], 'GET', '/files/%zz')).not.toThrow();
  const { gateway: g, calls } = gateway();
  const response = await g.handle({ method: 'GET', path: '/files/%zz' });
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ message: 'Bad Request' });
  expect(calls).toEqual([]);
});
