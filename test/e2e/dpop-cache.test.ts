/**
 * No cached decision ever stands in for a DPoP proof. With `dpop` on, the constructs synthesize an
 * authorizer without a result cache; the local gateways, which keep API Gateway's cache exactly as
 * the template configures it, then invoke the shipped authorizer once per request, so a replayed
 * proof, a missing one, or one for another method or URL is checked every time.
 */
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { GatewaySimulator, type GatewayRequest } from '../../local/rest-api/gateway';
import { RestApiServer } from '../../local/rest-api/rest-api-server';
import { readTemplateApi } from '../../local/rest-api/template-api';
import { Auth0ProtectedApi, DpopMode } from '../../src';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { JwksServer } from '../support/jwks-server';
import { startLocalHttpApi, type LocalHttpApiFixture } from '../support/local-http-api';
import { generateSigningKey, jwksOf, TokenMinter } from '../support/tokens';

const AUDIENCE = 'https://api.acme.com';
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const client = generateDpopKey('ES256');

describe('REST API with DPoP ALLOWED, through the local gateway\'s authorizer cache', () => {
  let jwks: JwksServer;
  let minter: TokenMinter;
  let gateway: GatewaySimulator;
  beforeAll(async () => {
    const key = generateSigningKey('RS256');
    jwks = await JwksServer.start(jwksOf(key));
    minter = new TokenMinter(jwks.issuer, AUDIENCE, key);
    const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'DpopStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const api = new Auth0ProtectedApi(stack, 'Api', { issuer: jwks.issuer, audience: AUDIENCE, dpop: DpopMode.ALLOWED });
    const mock = () => new MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }] });
    for (const route of ['GET /items/{id}', 'DELETE /items/{id}', 'GET /colors']) {
      api.addRoute(route, mock(), { methodOptions: { methodResponses: [{ statusCode: '200' }] } });
    }
    const assembly = app.synth();
    gateway = await GatewaySimulator.start(readTemplateApi(assembly.getStackByName(stack.stackName).template, assembly.directory));
  });
  afterAll(async () => {
    await gateway?.stop();
    await jwks?.close();
  });

  const stage = () => gateway.api.stageName;
  const htu = (path: string) => `https://${HOST}/${stage()}${path}`;
  const request = (method: string, path: string, token: string, proof?: string, scheme = 'DPoP'): GatewayRequest =>
    ({ method, path, headers: { Host: HOST, Authorization: `${scheme} ${token}`, ...(proof === undefined ? {} : { DPoP: proof }) } });

  test('the template caches nothing for this authorizer', () => {
    expect([...gateway.api.authorizers.values()].map((a) => a.resultTtlSeconds)).toEqual([0]);
  });

  test('every request invokes the authorizer: a replayed proof, a missing one, one for another method or URL are all refused', async () => {
    const token = minter.accessToken({ cnf: { jkt: client.jkt } });
    const proof = dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token });
    const before = gateway.authorizerInvocations;
    const outcomes = [
      await gateway.handle(request('GET', '/items/7', token, proof)),
      await gateway.handle(request('GET', '/items/7', token, proof)), // replayed
      await gateway.handle(request('GET', '/items/7', token)), // no proof
      await gateway.handle(request('DELETE', '/items/7', token, dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token }))), // another method
      await gateway.handle(request('GET', '/items/8', token, dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token }))), // another URL, same route
      await gateway.handle(request('GET', '/colors', token, dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token }))), // another route
      await gateway.handle(request('GET', '/colors', token, dpopProof(client, { htm: 'GET', htu: htu('/colors'), token }))), // fresh and right
    ];
    expect(outcomes.map((o) => [o.status, o.authorizer])).toEqual([
      [200, 'invoked'], [401, 'invoked'], [401, 'invoked'], [401, 'invoked'], [401, 'invoked'], [401, 'invoked'], [200, 'invoked'],
    ]);
    expect(gateway.authorizerInvocations - before).toBe(outcomes.length);
  });

  test('Bearer tokens without cnf pass too, at one invocation per request; a bound token as Bearer never', async () => {
    const before = gateway.authorizerInvocations;
    const bearer = minter.accessToken();
    expect((await gateway.handle(request('GET', '/colors', bearer, undefined, 'Bearer'))).status).toBe(200);
    expect((await gateway.handle(request('GET', '/colors', bearer, undefined, 'Bearer'))).status).toBe(200);
    expect((await gateway.handle(request('GET', '/colors', minter.accessToken({ cnf: { jkt: client.jkt } }), undefined, 'Bearer'))).status).toBe(401);
    expect(gateway.authorizerInvocations - before).toBe(3);
  });

  test('served over loopback HTTP as the local command serves it: htu is the URL the client called', async () => {
    const server = await RestApiServer.start(gateway, { port: 0, log: () => undefined, onActivity: () => undefined });
    try {
      const token = minter.accessToken({ cnf: { jkt: client.jkt } });
      const url = `${server.baseUrl}/colors`;
      const get = (proof: string) => fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: proof } });
      const proof = dpopProof(client, { htm: 'GET', htu: url, token });
      expect((await get(proof)).status).toBe(200);
      expect((await get(proof)).status).toBe(401);
      expect((await get(dpopProof(client, { htm: 'GET', htu: url.replace('/colors', '/items/7'), token }))).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  test('401 advertises both schemes', async () => {
    const response = await gateway.handle(request('GET', '/colors', minter.accessToken(), undefined, 'Basic'));
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", DPoP error="invalid_token", algs="[^"]*ES256[^"]*"$/);
  });
});

describe('HTTP API with DPoP REQUIRED, through the local HTTP API\'s authorizer cache', () => {
  let fx: LocalHttpApiFixture;
  beforeAll(async () => {
    fx = await startLocalHttpApi({ dpop: DpopMode.REQUIRED }, (api, backend) => {
      api.addRoute('GET /items/{id}', backend);
      api.addRoute('GET /colors', backend);
    });
  }, 60_000);
  afterAll(async () => fx?.stop());

  const LOCAL_HOST = '127.0.0.1:3000';
  const htu = (path: string) => `http://${LOCAL_HOST}${path}`;
  const call = (gateway: ReturnType<LocalHttpApiFixture['gateway']>, path: string, token: string, proof?: string, scheme = 'DPoP') =>
    gateway.handle({ method: 'GET', path, headers: { host: LOCAL_HOST, authorization: `${scheme} ${token}`, ...(proof === undefined ? {} : { dpop: proof }) } });

  test('every request invokes the authorizer; replayed, missing and misdirected proofs and Bearer tokens are refused', async () => {
    const gateway = fx.gateway();
    const token = fx.minter.accessToken({ cnf: { jkt: client.jkt } });
    const proof = dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token });
    const outcomes = [
      await call(gateway, '/items/7', token, proof),
      await call(gateway, '/items/7', token, proof),
      await call(gateway, '/items/7', token),
      await call(gateway, '/colors', token, dpopProof(client, { htm: 'GET', htu: htu('/items/7'), token })),
      await call(gateway, '/colors', fx.minter.accessToken(), undefined, 'Bearer'),
      await call(gateway, '/colors', token, dpopProof(client, { htm: 'GET', htu: htu('/colors'), token })),
    ];
    expect(outcomes.map((o) => [o.status, o.authorizerInvoked])).toEqual([
      [200, true], [401, true], [401, true], [401, true], [401, true], [200, true],
    ]);
    expect(JSON.parse(outcomes[0].body).authorizer).toMatchObject({ sub: 'auth0|user-1' });
  });
});
