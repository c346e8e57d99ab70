import { existsSync } from 'fs';
import { join } from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { integration, newApi, synthesize } from './synth';

describe('defaults', () => {
  test('creates one REST API with a REQUEST authorizer on the Authorization header, cached for 5 minutes', () => {
    const { template } = synthesize();
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  test('runs the authorizer on Node.js 22, arm64, 256 MB, 10 s, with JSON logs kept for a year', () => {
    const { template } = synthesize();
    const logGroupIds = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 } }))
      .filter((id) => id.startsWith('ApiAuthorizerLogs'));
    expect(logGroupIds).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupIds[0] } },
    });
  });

  test('keeps the configuration out of environment variables, which Lambda caps at 4 KB', () => {
    const { template } = synthesize();
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Environment: Match.absent() });
  });

  test('ships the prebuilt bundle and config.json in the authorizer asset', () => {
    const { assetDir } = synthesize();
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'config.json'))).toBe(true);
  });

  test('derives issuer and JWKS URI from the domain, accepting RS256 with 5 s clock tolerance', () => {
    const { config } = synthesize();
    expect(config).toMatchObject({
      issuer: 'https://acme.us.auth0.com/',
      jwksUri: 'https://acme.us.auth0.com/.well-known/jwks.json',
      audience: 'https://api.acme.com',
      algorithms: ['RS256'],
      clockToleranceSeconds: 5,
      contextClaims: {},
    });
  });

  test('bounds JWKS fetching: 2 s timeout, 10 s cooldown for unknown keys, 10 minute cache', () => {
    const { config } = synthesize();
    expect(config).toMatchObject({ jwksTimeoutMs: 2000, jwksCooldownMs: 10000, jwksCacheMaxAgeMs: 600000 });
  });

  test('lets API Gateway invoke the authorizer only through this API\'s authorizer', () => {
    const { template } = synthesize();
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/authorizers/')])],
      }),
    });
  });

  test('answers 401 and 403 with JSON bodies and WWW-Authenticate, without CORS headers when CORS is off', () => {
    const { template } = synthesize();
    // objectEquals: no CORS header may ride along when CORS is off.
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectEquals({ 'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="invalid_token"\'' }),
      ResponseTemplates: { 'application/json': '{"message":"Unauthorized","error":"invalid_token"}' },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      ResponseParameters: Match.objectEquals({ 'gatewayresponse.header.WWW-Authenticate': '\'Bearer error="insufficient_scope"\'' }),
      ResponseTemplates: { 'application/json': '{"message":"Forbidden","error":"insufficient_scope"}' },
    });
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 0);
  });

  test('exposes the stage URL', () => {
    const { api, stack } = synthesize();
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.restApi.url));
  });

  test('warns about nothing with the defaults', () => {
    const { stack, api } = newApi();
    api.addRoute('GET /things', integration());
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('gives the same asset hash for the same props, so snapshot tests do not flap', () => {
    const key = (s: ReturnType<typeof synthesize>) => JSON.stringify(s.template.findResources('AWS::Lambda::Function'));
    expect(key(synthesize())).toEqual(key(synthesize()));
  });
});
