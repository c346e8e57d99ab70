/**
 * A handed-over API keeps its owner's CORS configuration, which the construct cannot extend. With
 * DPoP on, a browser must be allowed to send the `DPoP` header, so an owner's CORS without it is
 * refused at synthesis rather than deployed with every browser DPoP request failing its preflight.
 */
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Auth0ProtectedApi, Auth0ProtectedHttpApi, DpopMode } from '../../src';

const TOKEN_PROPS = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

function existingRestApi(allowHeaders?: string[]): { stack: Stack; restApi: RestApi } {
  const stack = new Stack(new App(), 'S');
  const restApi = new RestApi(stack, 'Existing', { defaultCorsPreflightOptions: { allowOrigins: ['https://app.acme.com'], allowHeaders } });
  restApi.root.addResource('things').addMethod('GET', new MockIntegration());
  return { stack, restApi };
}

function existingHttpApi(allowHeaders?: string[]): { stack: Stack; httpApi: HttpApi } {
  const stack = new Stack(new App(), 'S');
  const httpApi = new HttpApi(stack, 'Existing', { corsPreflight: { allowOrigins: ['https://app.acme.com'], allowHeaders } });
  return { stack, httpApi };
}

describe('a handed-over REST API with DPoP on', () => {
  test('refuses CORS whose default allowHeaders lack DPoP, naming the fix', () => {
    const { stack, restApi } = existingRestApi();
    expect(() => new Auth0ProtectedApi(stack, 'Auth', { ...TOKEN_PROPS, restApi, dpop: DpopMode.ALLOWED }))
      .toThrow(/restApi: your API's CORS allowHeaders .* do not include "DPoP".*Add "DPoP" to allowHeaders/);
  });

  test('accepts CORS that allows DPoP', () => {
    const { stack, restApi } = existingRestApi(['Authorization', 'Content-Type', 'DPoP']);
    expect(() => new Auth0ProtectedApi(stack, 'Auth', { ...TOKEN_PROPS, restApi, dpop: DpopMode.REQUIRED })).not.toThrow();
  });

  test('does not ask for DPoP in CORS while DPoP is off', () => {
    const { stack, restApi } = existingRestApi();
    expect(() => new Auth0ProtectedApi(stack, 'Auth', { ...TOKEN_PROPS, restApi })).not.toThrow();
  });
});

describe('a handed-over HTTP API with DPoP on', () => {
  test('refuses CORS whose allowHeaders lack DPoP, naming the fix', () => {
    const { stack, httpApi } = existingHttpApi(['authorization']);
    expect(() => new Auth0ProtectedHttpApi(stack, 'Auth', { ...TOKEN_PROPS, httpApi, dpop: DpopMode.ALLOWED }))
      .toThrow(/httpApi: your API's CORS allowHeaders \["authorization"\] do not include "DPoP"/);
  });

  test('accepts CORS that allows DPoP', () => {
    const { stack, httpApi } = existingHttpApi(['authorization', 'dpop']);
    expect(() => new Auth0ProtectedHttpApi(stack, 'Auth', { ...TOKEN_PROPS, httpApi, dpop: DpopMode.ALLOWED })).not.toThrow();
  });
});

describe('a handed-over API whose CORS allows every header', () => {
  test('REST: * with allowCredentials does not cover DPoP (browsers read it as a header named *)', () => {
    const stack = new Stack(new App(), 'S');
    const restApi = new RestApi(stack, 'Existing', {
      defaultCorsPreflightOptions: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['*'], allowCredentials: true },
    });
    restApi.root.addResource('things').addMethod('GET', new MockIntegration());
    expect(() => new Auth0ProtectedApi(stack, 'Auth', { ...TOKEN_PROPS, restApi, dpop: DpopMode.ALLOWED }))
      .toThrow(/restApi: your API's CORS allowHeaders \["\*"\] do not include "DPoP"/);
  });

  test('REST: * without credentials covers DPoP', () => {
    const { stack, restApi } = existingRestApi(['*']);
    expect(() => new Auth0ProtectedApi(stack, 'Auth', { ...TOKEN_PROPS, restApi, dpop: DpopMode.ALLOWED })).not.toThrow();
  });

  test('HTTP: * with allowCredentials does not cover DPoP', () => {
    const stack = new Stack(new App(), 'S');
    const httpApi = new HttpApi(stack, 'Existing', { corsPreflight: { allowOrigins: ['https://app.acme.com'], allowHeaders: ['*'], allowCredentials: true } });
    expect(() => new Auth0ProtectedHttpApi(stack, 'Auth', { ...TOKEN_PROPS, httpApi, dpop: DpopMode.ALLOWED }))
      .toThrow(/httpApi: your API's CORS allowHeaders \["\*"\] do not include "DPoP"/);
  });
});
