/**
 * `htu` against request paths that the URL parser would rewrite, against the shipped bundle. The
 * proof binds the request to one URL; API Gateway routes on the path as the client sent it (the
 * event's `resource` is what it matched). A path with dot segments or backslashes, which the WHATWG
 * parser resolves (`/prod/admin/x/../../me` becomes `/prod/me`), would let a proof made for one URL
 * authorize a request API Gateway routes to another resource. Browsers and HTTP clients resolve dot
 * segments before sending, so such a path only comes from someone replaying a proof: 401 at WARN
 * (the caller's doing, nothing for the alarm).
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl } from '../support/api-gateway';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';

const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const DISGUISED_PATHS = ['/admin/x/../../me', '/admin/x/%2e%2e/%2E./me', '/admin/x\\..\\..\\me', '/admin/./../me'];

describe('DPoP htu and request paths the URL parser rewrites', () => {
  let fx: AuthorizerFixture;
  const client = generateDpopKey('ES256');
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({
      dpop: dpopConfigOf(DpopMode.REQUIRED),
      httpRoutes: [{ routeKey: 'GET /admin/{proxy+}', scopes: [] }],
    });
  });
  afterAll(async () => fx?.stop());
  beforeEach(() => fx.authorizer.clearOutput());

  const token = () => fx.minter.accessToken({ cnf: { jkt: client.jkt }, scope: 'admin' });

  test.each(DISGUISED_PATHS)('REST: a proof for /prod/me on a request for /prod%s, routed to /admin/{proxy+}: 401 at WARN', async (path) => {
    const t = token();
    const proof = dpopProof(client, { htm: 'GET', htu: executeApiUrl('/me'), token: t });
    const { status } = await fx.call({ resource: '/admin/{proxy+}', path, authorization: `DPoP ${t}`, headers: { DPoP: proof } });
    expect(status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_dpop_proof', level: 'WARN' });
  });

  test.each(DISGUISED_PATHS)('HTTP API: a proof for /me on a request for %s, routed to GET /admin/{proxy+}: 401 at WARN', async (rawPath) => {
    const t = token();
    const proof = dpopProof(client, { htm: 'GET', htu: `https://${HOST}/me`, token: t });
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeKey: 'GET /admin/{proxy+}',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/admin/x',
      identitySource: [`DPoP ${t}`, 'GET /admin/{proxy+}'],
      rawPath,
      rawQueryString: '',
      headers: { host: HOST, authorization: `DPoP ${t}`, dpop: proof },
      requestContext: { domainName: HOST, http: { method: 'GET', path: rawPath }, routeKey: 'GET /admin/{proxy+}', stage: '$default' },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    const outcome = await fx.authorizer.invoke(event);
    expect(outcome).toMatchObject({ error: 'Unauthorized' });
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_dpop_proof', level: 'WARN' });
  });

  test('the same proof on the path it was made for: 200 (the check refuses only rewritten paths)', async () => {
    const t = token();
    const proof = dpopProof(client, { htm: 'GET', htu: executeApiUrl('/admin/x/y'), token: t });
    const { status } = await fx.call({ resource: '/admin/{proxy+}', path: '/admin/x/y', authorization: `DPoP ${t}`, headers: { DPoP: proof } });
    expect(status).toBe(200);
  });
});
