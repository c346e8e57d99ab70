/**
 * DPoP on payload 2.0 (HTTP API) events against the shipped bundle: `htu` rebuilt from
 * `requestContext.domainName` and `rawPath` (named stage and API mapping key included), and the
 * DPoP header as API Gateway passes it (repeated headers joined with commas).
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';

const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';

function v2(headers: Record<string, string>, { rawPath = '/colors', domainName = HOST, method = 'GET' } = {}) {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeKey: 'GET /colors',
    routeArn: `arn:aws:execute-api:us-east-1:123456789012:abc123/$default/${method}/colors`,
    identitySource: [headers.authorization ?? '', 'GET /colors'],
    rawPath,
    rawQueryString: 'page=2',
    headers: { host: domainName, ...headers },
    requestContext: { domainName, http: { method, path: rawPath }, routeKey: 'GET /colors', stage: '$default' },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('DPoP on HTTP API events', () => {
  let fx: AuthorizerFixture;
  const client = generateDpopKey('ES256');
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ routes: [], httpRoutes: [{ routeKey: 'GET /colors', scopes: [] }], dpop: dpopConfigOf(DpopMode.REQUIRED) });
  });
  afterAll(async () => fx?.stop());
  beforeEach(() => fx.authorizer.clearOutput());

  const token = () => fx.minter.accessToken({ cnf: { jkt: client.jkt } });
  const decide = async (event: APIGatewayRequestAuthorizerEvent) => {
    const outcome = await fx.authorizer.invoke(event);
    return 'ok' in outcome ? (outcome.ok as unknown as { isAuthorized: boolean }).isAuthorized ? 200 : 403 : outcome.error === 'Unauthorized' ? 401 : 500;
  };

  test.each([
    ['the $default stage', '/colors', HOST],
    ['a named stage (kept in rawPath)', '/prod/colors', HOST],
    ['a custom domain with an API mapping key', '/v1/colors', 'api.acme.com'],
  ])('%s: 200 with htu https://{domainName}{rawPath}, 401 for any other', async (_name, rawPath, domainName) => {
    const t = token();
    const right = dpopProof(client, { htm: 'GET', htu: `https://${domainName}${rawPath}?page=2`, token: t });
    expect(await decide(v2({ authorization: `DPoP ${t}`, dpop: right }, { rawPath, domainName }))).toBe(200);
    const wrong = dpopProof(client, { htm: 'GET', htu: `https://${domainName}/other${rawPath}`, token: t });
    expect(await decide(v2({ authorization: `DPoP ${t}`, dpop: wrong }, { rawPath, domainName }))).toBe(401);
  });

  test('two DPoP headers, joined with a comma by API Gateway: 401', async () => {
    const t = token();
    const proof = () => dpopProof(client, { htm: 'GET', htu: `https://${HOST}/colors`, token: t });
    expect(await decide(v2({ authorization: `DPoP ${t}`, dpop: `${proof()},${proof()}` }))).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_dpop_proof', detail: 'more than one DPoP header' });
  });

  test('REQUIRED refuses a Bearer token, and a bound one as Bearer: 401', async () => {
    expect(await decide(v2({ authorization: `Bearer ${fx.minter.accessToken()}` }))).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'dpop_required' });
    expect(await decide(v2({ authorization: `Bearer ${token()}` }))).toBe(401);
  });

  test('an event without domainName or host: 401 and an ERROR line (API Gateway always sends them)', async () => {
    const t = token();
    const event = v2({ authorization: `DPoP ${t}`, dpop: dpopProof(client, { htm: 'GET', htu: `https://${HOST}/colors`, token: t }) });
    const bare = { ...event, headers: { authorization: `DPoP ${t}`, dpop: (event.headers as Record<string, string>).dpop }, requestContext: { http: { method: 'GET' } } };
    expect(await decide(bare as unknown as APIGatewayRequestAuthorizerEvent)).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'invalid_request', level: 'ERROR' });
  });
});
