/**
 * What `dpop` changes in the synthesized template: no authorizer result cache, 401/403 that
 * advertise DPoP, and CORS that lets browsers send the DPoP header (REST and HTTP APIs).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { newApi, synthesize } from './synth';
import { Auth0ProtectedHttpApi, DpopMode } from '../../src';

const ALGS = 'RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA';

function httpTemplate(props: Record<string, unknown>): Template {
  const app = new App();
  const stack = new Stack(app, 'HttpStack');
  const api = new Auth0ProtectedHttpApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', ...props });
  api.addRoute('GET /things', new HttpUrlIntegration('Things', 'https://example.com'));
  return Template.fromStack(stack);
}

describe('dpop on a REST API', () => {
  test('the configuration carries the mode, proof algorithms and window; DISABLED writes nothing', () => {
    expect(synthesize({ dpop: DpopMode.REQUIRED }).config.dpop).toEqual({ mode: 'required', algorithms: ALGS.split(' '), proofMaxAgeSeconds: 60, replayCacheSize: 100000 });
    expect(synthesize({ dpop: DpopMode.ALLOWED }).config.dpop?.mode).toBe('allowed');
    expect(synthesize({ dpop: DpopMode.DISABLED }).config).not.toHaveProperty('dpop');
  });

  test.each([DpopMode.ALLOWED, DpopMode.REQUIRED])('%s turns the authorizer result cache off (every proof is checked) without a warning', (dpop) => {
    const { template } = synthesize({ dpop });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
  });

  test('an authorizerCacheTtl above 0 with DPoP fails synthesis naming the fix', () => {
    expect(() => newApi({ dpop: DpopMode.ALLOWED, authorizerCacheTtl: Duration.minutes(5) }))
      .toThrow(/authorizerCacheTtl: 5 minutes with dpop ALLOWED.*Leave authorizerCacheTtl unset/);
  });

  test('an unknown mode from JavaScript fails synthesis naming the prop', () => {
    expect(() => newApi({ dpop: 'on' as never })).toThrow(/dpop: string "on" is not a DpopMode/);
  });

  test.each<[DpopMode, string, string]>([
    [DpopMode.DISABLED, 'Bearer error="invalid_token"', 'Bearer error="insufficient_scope"'],
    [DpopMode.ALLOWED, `Bearer error="invalid_token", DPoP error="invalid_token", algs="${ALGS}"`, `Bearer error="insufficient_scope", DPoP error="insufficient_scope", algs="${ALGS}"`],
    [DpopMode.REQUIRED, `DPoP error="invalid_token", algs="${ALGS}"`, `DPoP error="insufficient_scope", algs="${ALGS}"`],
  ])('%s: 401 and 403 advertise the accepted schemes in WWW-Authenticate', (dpop, unauthorized, denied) => {
    const { template } = synthesize({ dpop });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': `'${unauthorized}'` }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': `'${denied}'` }),
    });
  });

  test('CORS preflight allows the DPoP header, added to the default and to listed headers', () => {
    const preflightHeaders = (template: Template) => JSON.stringify(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }));
    expect(preflightHeaders(synthesize({ dpop: DpopMode.ALLOWED, cors: { allowOrigins: ['https://app.acme.com'] } }).template)).toMatch(/Access-Control-Allow-Headers":"'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,DPoP'/);
    expect(preflightHeaders(synthesize({ dpop: DpopMode.ALLOWED, cors: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['Authorization'] } }).template)).toMatch(/Access-Control-Allow-Headers":"'Authorization,DPoP'/);
    expect(preflightHeaders(synthesize({ cors: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['Authorization'] } }).template)).toMatch(/Access-Control-Allow-Headers":"'Authorization'/);
  });

  test('CORS preflight with allowHeaders "*" and credentials names DPoP too ("*" is no wildcard for credentialed requests)', () => {
    const { template } = synthesize({ dpop: DpopMode.REQUIRED, cors: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['*', 'Authorization'], allowCredentials: true } });
    expect(JSON.stringify(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } })))
      .toMatch(/Access-Control-Allow-Headers":"'\*,Authorization,DPoP'/);
  });
});

describe('dpop on an HTTP API', () => {
  test('turns the authorizer result cache off', () => {
    httpTemplate({ dpop: DpopMode.REQUIRED }).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
  });

  test('CORS allows the DPoP header', () => {
    httpTemplate({ dpop: DpopMode.ALLOWED, cors: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['authorization'] } })
      .hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowHeaders: ['authorization', 'DPoP'] }) });
  });

  test('CORS with allowHeaders "*" and credentials names DPoP too', () => {
    httpTemplate({ dpop: DpopMode.ALLOWED, cors: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['*', 'authorization'], allowCredentials: true } })
      .hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowHeaders: ['*', 'authorization', 'DPoP'] }) });
  });

  test('an authorizerCacheTtl above 0 with DPoP fails synthesis', () => {
    expect(() => httpTemplate({ dpop: DpopMode.REQUIRED, authorizerCacheTtl: Duration.seconds(30) })).toThrow(/authorizerCacheTtl: 30 seconds with dpop REQUIRED/);
  });
});
