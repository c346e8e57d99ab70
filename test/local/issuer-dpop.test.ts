/**
 * The stand-in issuer issues DPoP-bound tokens as Auth0 does when the token request carries a valid
 * proof, and the shipped authorizer (DPoP ALLOWED) accepts them only with a proof of the same key.
 */
import { LOCAL_CLIENT_SECRET, LocalIssuer } from '../../local/issuer/local-issuer';
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl, requestEvent, statusFor } from '../support/api-gateway';
import { testConfig, TEST_AUDIENCE } from '../support/authorizer-config';
import { AuthorizerProcess } from '../support/authorizer-process';
import { dpopProof, generateDpopKey } from '../support/dpop';

describe('the local issuer with DPoP', () => {
  let issuer: LocalIssuer;
  let authorizer: AuthorizerProcess;
  const client = generateDpopKey('ES256');
  beforeAll(async () => {
    issuer = await LocalIssuer.start({ defaultAudience: TEST_AUDIENCE, audiences: [TEST_AUDIENCE] });
    const endpoints = { issuer: issuer.issuer, jwksUri: issuer.jwksUri };
    authorizer = await AuthorizerProcess.start(testConfig(endpoints, { dpop: dpopConfigOf(DpopMode.ALLOWED) }));
  });
  afterAll(async () => {
    await authorizer?.stop();
    await issuer?.stop();
  });

  const tokenRequest = (headers: Record<string, string>) => fetch(`${issuer.issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-m2m', client_secret: LOCAL_CLIENT_SECRET, audience: TEST_AUDIENCE }).toString(),
  });
  const tokenProof = () => dpopProof(client, { htm: 'POST', htu: `${issuer.issuer}oauth/token`, token: '', claims: { ath: undefined } });

  test('a token request with a valid proof gets token_type DPoP and cnf.jkt of the proof key', async () => {
    const response = await tokenRequest({ DPoP: tokenProof() });
    const body = await response.json() as { access_token: string; token_type: string };
    expect({ status: response.status, type: body.token_type }).toEqual({ status: 200, type: 'DPoP' });
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.cnf).toEqual({ jkt: client.jkt });
  });

  test('without a proof: a Bearer token without cnf, as before', async () => {
    const body = await (await tokenRequest({})).json() as { access_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    expect(JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString())).not.toHaveProperty('cnf');
  });

  test.each([
    ['for another URL', () => dpopProof(client, { htm: 'POST', htu: 'https://evil.example.com/oauth/token', token: '' })],
    ['for GET', () => dpopProof(client, { htm: 'GET', htu: `${issuer.issuer}oauth/token`, token: '' })],
    ['with a private jwk', () => dpopProof(client, { htm: 'POST', htu: `${issuer.issuer}oauth/token`, token: '', header: { jwk: { ...client.jwk, d: 'x' } } })],
    ['not a JWS', () => 'nope'],
  ])('a proof %s: 400 invalid_dpop_proof', async (_name, proof) => {
    const response = await tokenRequest({ DPoP: proof() });
    expect({ status: response.status, error: ((await response.json()) as { error: string }).error }).toEqual({ status: 400, error: 'invalid_dpop_proof' });
  });

  test('the bound token passes the authorizer with a proof of the same key, never as Bearer', async () => {
    const { access_token: token } = await (await tokenRequest({ DPoP: tokenProof() })).json() as { access_token: string };
    const withProof = requestEvent({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: dpopProof(client, { htm: 'GET', htu: executeApiUrl('/me'), token }) } });
    authorizer.clearOutput();
    const outcome = await authorizer.invoke(withProof);
    expect([statusFor(outcome, withProof.methodArn), authorizer.logLines().map((l) => l.reason)]).toEqual([200, []]);
    const asBearer = requestEvent({ resource: '/me', token });
    expect(statusFor(await authorizer.invoke(asBearer), asBearer.methodArn)).toBe(401);
  });
});
