/**
 * The standalone authorizers (`Auth0RestAuthorizer`, `Auth0HttpAuthorizer`) promise the same cache
 * guarantees as the constructs, so their API Gateway authorizer is checked as it will deploy too:
 * an escape-hatch edit that turns the result cache back on under DPoP (a cached Allow would stand
 * in for the proof of every later request with that token: replayed, missing, or for another URL),
 * or drops what keys a cached decision to one route, fails synthesis naming the resource and fix.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { url } from './http-api-synth';
import { Auth0HttpAuthorizer, Auth0RestAuthorizer, DpopMode } from '../../src';

const PROPS = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

function restApp(props: Record<string, unknown> = {}) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const auth = new Auth0RestAuthorizer(stack, 'Auth', { ...PROPS, ...props });
  const api = new RestApi(stack, 'Api');
  const items = api.root.addResource('items');
  items.addMethod('GET', new MockIntegration(), { authorizer: auth });
  // A `{id}` route requiring more scopes than `/items/featured`: policies would reach across, so route mode.
  items.addResource('{id}').addMethod('GET', new MockIntegration(), { authorizer: auth.withScopes('read:items') });
  items.addResource('featured').addMethod('GET', new MockIntegration(), { authorizer: auth });
  const authorizer = auth.node.findChild('RequestAuthorizer').node.defaultChild as CfnResource;
  return { app, authorizer };
}

function httpApp(props: Record<string, unknown> = {}) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const auth = new Auth0HttpAuthorizer(stack, 'Auth', { ...PROPS, ...props });
  const httpApi = new HttpApi(stack, 'Api');
  httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration: url(), authorizer: auth });
  const authorizer = () => auth.node.findChild('RequestAuthorizer').node.defaultChild as CfnResource;
  return { app, authorizer };
}

describe('Auth0RestAuthorizer as it deploys', () => {
  test('with dpop REQUIRED, a cache TTL turned back on by override fails synthesis', () => {
    const { app, authorizer } = restApp({ dpop: DpopMode.REQUIRED });
    authorizer.addPropertyOverride('AuthorizerResultTtlInSeconds', 300);
    expect(() => app.synth()).toThrow(/TestStack\/Auth\/RequestAuthorizer.*AuthorizerResultTtlInSeconds 300, expected 0/);
  });

  test('in route mode, an IdentitySource override without method and resource path fails synthesis', () => {
    const { app, authorizer } = restApp();
    authorizer.addPropertyOverride('IdentitySource', 'method.request.header.Authorization');
    expect(() => app.synth()).toThrow(/IdentitySource "method.request.header.Authorization", which lacks context.httpMethod, context.resourcePath/);
  });

  test('as the construct renders it, synthesis succeeds', () => {
    expect(() => restApp({ dpop: DpopMode.REQUIRED }).app.synth()).not.toThrow();
  });
});

describe('Auth0HttpAuthorizer as it deploys', () => {
  test('with dpop ALLOWED, a cache TTL turned back on by override fails synthesis', () => {
    const { app, authorizer } = httpApp({ dpop: DpopMode.ALLOWED });
    // The API Gateway authorizer exists once a route bound the authorizer (addRoutes did).
    authorizer().addPropertyOverride('AuthorizerResultTtlInSeconds', 300);
    expect(() => app.synth()).toThrow(/TestStack\/Auth\/RequestAuthorizer.*AuthorizerResultTtlInSeconds 300, expected 0/);
  });

  test('an IdentitySource override without $context.routeKey fails synthesis', () => {
    const { app, authorizer } = httpApp();
    authorizer().addPropertyOverride('IdentitySource', ['$request.header.Authorization']);
    expect(() => app.synth()).toThrow(/IdentitySource "\$request.header.Authorization", which lacks \$context.routeKey/);
  });

  test('as the construct renders it, synthesis succeeds', () => {
    expect(() => httpApp({ dpop: DpopMode.REQUIRED }).app.synth()).not.toThrow();
  });
});
