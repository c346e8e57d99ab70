import { Match } from 'aws-cdk-lib/assertions';
import { Cors } from 'aws-cdk-lib/aws-apigateway';
import { integration, synthesize } from './synth';

describe('cors', () => {
  const withCors = (allowOrigins: string[], allowCredentials?: boolean) => synthesize({ cors: { allowOrigins, allowCredentials } }, (api) => {
    api.addRoute('GET /things', integration());
    api.addRoute('GET /things/{id}', integration());
  });

  test('preflight OPTIONS methods never reach the authorizer', () => {
    const { template } = withCors(['https://app.acme.com']);
    const options = template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } });
    expect(Object.keys(options).length).toBeGreaterThanOrEqual(2);
    for (const method of Object.values(options)) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
      expect(method.Properties.AuthorizerId).toBeUndefined();
    }
  });

  test.each(['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX'])('%s carries the allowed origin and exposes WWW-Authenticate', (type) => {
    const { template } = withCors(['https://app.acme.com']);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.acme.com'",
        'gatewayresponse.header.Access-Control-Expose-Headers': "'WWW-Authenticate'",
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });

  test('401 keeps WWW-Authenticate alongside the CORS headers', () => {
    const { template } = withCors(['https://app.acme.com']);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="invalid_token"\'' }),
    });
  });

  test('all origins give a literal *', () => {
    const { template } = withCors(Cors.ALL_ORIGINS);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" }),
    });
  });

  test('several origins echo the caller\'s Origin, varying on it', () => {
    const { template } = withCors(['https://a.acme.com', 'https://b.acme.com']);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });

  test('allowCredentials adds Access-Control-Allow-Credentials to error responses', () => {
    const { template } = withCors(['https://app.acme.com'], true);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'" }),
    });
  });
});
