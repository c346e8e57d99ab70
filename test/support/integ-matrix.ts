/**
 * What test/integ.rest-api.ts and test/integ.http-api.ts share: the Auth0 tenant the deployed example
 * trusts, a token obtained from it at deploy time, and the status matrix asserted with HTTP calls
 * against the deployed API (integ-tests-alpha's httpApiCall, run by a Lambda function in the account).
 *
 * The tenant comes from the environment (INTEG_AUTH0_DOMAIN, INTEG_AUTH0_AUDIENCE); without it the
 * placeholders below are synthesized, which is what the committed snapshots hold and what CI checks.
 * The token request (client id and secret of a machine-to-machine application granted only
 * `read:colors`) is read from Secrets Manager at deploy time, so no secret is in any template.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';

export const INTEG_DOMAIN = process.env.INTEG_AUTH0_DOMAIN ?? 'integ-tenant.us.auth0.com';
export const INTEG_AUDIENCE = process.env.INTEG_AUTH0_AUDIENCE ?? 'https://api.example.com';
/** A Secrets Manager secret whose string is the JSON body of Auth0's client-credentials token request. */
export const TOKEN_REQUEST_SECRET = 'cdk-auth0-protected-api/integ-token-request';
/** The origin the examples allow for CORS. */
export const ORIGIN = 'https://app.example.com';

/** A token holding `read:colors` only, from the tenant: `Bearer <token>` as a deploy-time value. */
export function bearerToken(integ: IntegTest): string {
  const secret = integ.assertions.awsApiCall('SecretsManager', 'getSecretValue', { SecretId: TOKEN_REQUEST_SECRET });
  const token = integ.assertions.httpApiCall(`https://${INTEG_DOMAIN}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: secret.getAttString('SecretString'),
  });
  return `Bearer ${token.getAttString('body.access_token')}`;
}

interface Call {
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** Asserts that `call` against `baseUrl` (ending in `/`) answers `expected` (status, headers, body). */
export function expectCall(integ: IntegTest, baseUrl: string, call: Call, expected: Record<string, unknown>): void {
  integ.assertions.httpApiCall(`${baseUrl}${call.path}`, {
    method: call.method ?? 'GET', headers: { origin: ORIGIN, ...call.headers },
  }).expect(ExpectedResult.objectLike(expected));
}

/** A header as node-fetch's `headers.raw()` reports it: lower-case name, a list of values. */
export function header(name: string, value: string): Record<string, unknown> {
  return { [name]: Match.arrayWith([value]) };
}

/** The part of the matrix both kinds of API answer alike. */
export function commonMatrix(integ: IntegTest, baseUrl: string, bearer: string): void {
  const cors = header('access-control-allow-origin', ORIGIN);
  // Public route: no token needed.
  expectCall(integ, baseUrl, { path: 'health' }, { status: 200 });
  // No token: 401, readable by the browser app (CORS headers on the refusal).
  expectCall(integ, baseUrl, { path: 'colors' }, { status: 401, headers: Match.objectLike(cors) });
  // A token with the route's scope: 200.
  expectCall(integ, baseUrl, { path: 'colors', headers: { authorization: bearer } }, { status: 200 });
  // A valid token without delete:colors: 403, with CORS headers.
  expectCall(integ, baseUrl, { path: 'colors/red', method: 'DELETE', headers: { authorization: bearer } },
    { status: 403, headers: Match.objectLike(cors) });
  // Preflight: answered without the authorizer, with the allowed origin.
  expectCall(integ, baseUrl, { path: 'colors', method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } },
    { status: 204, headers: Match.objectLike(cors) });
}
