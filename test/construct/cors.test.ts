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

  test.each(['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX'])('with several origins %s never reflects the caller\'s Origin: it answers *, without credentials', (type) => {
    // A gateway response cannot choose among origins; its fixed body may be read by any page, never with cookies.
    const { template } = withCors(['https://a.acme.com', 'https://b.acme.com']);
    const responses = template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: type } });
    const headers = Object.values(responses)[0].Properties.ResponseParameters;
    expect(headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
    expect(Object.values(headers)).not.toContain('method.request.header.Origin');
    expect(headers['gatewayresponse.header.Access-Control-Allow-Credentials']).toBeUndefined();
  });

  test('several origins with allowCredentials fail at synth, naming the prop and the fixes', () => {
    expect(() => withCors(['https://a.acme.com', 'https://b.acme.com'], true))
      .toThrow(/cors: allowCredentials with several allowOrigins \["https:\/\/a.acme.com","https:\/\/b.acme.com"\].*one origin.*drop allowCredentials/);
  });

  test('allowCredentials adds Access-Control-Allow-Credentials to error responses', () => {
    const { template } = withCors(['https://app.acme.com'], true);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'" }),
    });
  });
});
