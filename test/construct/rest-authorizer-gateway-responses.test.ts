import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, ResponseType, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Auth0RestAuthorizer } from '../../src';

/**
 * A standalone Auth0RestAuthorizer leaves the API's gateway responses alone unless asked
 * (`gatewayResponses: true`), since they answer for every method of the API, other authorizers'
 * included; asked, it adds the constructs' 401/403 (and, with CORS, 4XX/5XX) where the API has none.
 */

const PROPS = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

function setup(gatewayResponses: boolean | undefined, cors: boolean) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const auth = new Auth0RestAuthorizer(stack, 'Auth', { ...PROPS, gatewayResponses });
  const restApi = new RestApi(stack, 'Api', cors ? { defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'] } } : {});
  restApi.root.addResource('orders').addMethod('GET', new MockIntegration(), { authorizer: auth });
  return { app, stack, restApi };
}

const templateOf = (app: App, stack: Stack) => Template.fromJSON(app.synth().getStackByName(stack.stackName).template);

describe('Auth0RestAuthorizer gatewayResponses', () => {
  test('by default it adds no gateway response', () => {
    const { app, stack } = setup(undefined, true);
    templateOf(app, stack).resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });

  test('asked, it adds 401 and 403 with WWW-Authenticate and the API\'s CORS origin, and CORS on 4XX/5XX', () => {
    const { app, stack } = setup(true, true);
    const template = templateOf(app, stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 4);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="invalid_token"\'',
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      }),
      ResponseTemplates: { 'application/json': JSON.stringify({ message: 'Unauthorized', error: 'invalid_token' }) },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="insufficient_scope"\'' }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'DEFAULT_4XX' });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'DEFAULT_5XX' });
  });

  test('asked, without CORS it adds 401 and 403 only, and keeps the owner\'s response of a type that carries WWW-Authenticate', () => {
    const { app, stack, restApi } = setup(true, false);
    restApi.addGatewayResponse('Mine', { type: ResponseType.UNAUTHORIZED, responseHeaders: { 'WWW-Authenticate': "'Bearer realm=\"acme\"'" } });
    const template = templateOf(app, stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'UNAUTHORIZED', ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer realm=\"acme\"'" } });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'ACCESS_DENIED' });
  });

  test('asked, an owner\'s response of that type without WWW-Authenticate fails synthesis naming the prop', () => {
    const { app, restApi } = setup(true, false);
    restApi.addGatewayResponse('Mine', { type: ResponseType.ACCESS_DENIED, responseHeaders: { 'X-Why': "'no'" } });
    expect(() => app.synth()).toThrow(/gatewayResponses: your gateway response ACCESS_DENIED \(TestStack\/Api\/Mine\) has no WWW-Authenticate header.*Remove yours/);
  });

  test('asked, CORS with several origins and credentials is refused, as on the constructs', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const auth = new Auth0RestAuthorizer(stack, 'Auth', { ...PROPS, gatewayResponses: true });
    const restApi = new RestApi(stack, 'Api', { defaultCorsPreflightOptions: { allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowCredentials: true } });
    restApi.root.addMethod('GET', new MockIntegration(), { authorizer: auth });
    expect(() => app.synth()).toThrow(/allowCredentials/);
  });
});
