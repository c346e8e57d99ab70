/**
 * Integration test on AWS: the HTTP API example (examples/typescript/http-api-stack.ts) deployed
 * against a real Auth0 tenant, and the status matrix asserted with HTTP calls. README, "Integration tests on AWS".
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { bearerToken, commonMatrix, expectCall, INTEG_AUDIENCE, INTEG_DOMAIN } from './support/integ-matrix';
import { HttpApiExampleStack } from '../examples/typescript/http-api-stack';

const app = new App();
const stack = new HttpApiExampleStack(app, 'Auth0ProtectedHttpApiInteg', { domain: INTEG_DOMAIN, audience: INTEG_AUDIENCE });
const integ = new IntegTest(app, 'HttpApi', { testCases: [stack], diffAssets: false });
const bearer = bearerToken(integ);
// Includes the open question of CORS headers on HTTP API authorizer denials (401 and 403).
commonMatrix(integ, stack.api.url, bearer);

// Open question: the body of the 403 an HTTP API answers for `isAuthorized: false` (the README and
// the local emulator assume {"message":"Forbidden"}).
expectCall(integ, stack.api.url, { path: 'colors/red', method: 'DELETE', headers: { authorization: bearer } },
  { status: 403, body: { message: 'Forbidden' } });
// A trailing slash routes like the bare path.
expectCall(integ, stack.api.url, { path: 'colors/', headers: { authorization: bearer } }, { status: 200 });
// No route: 404 {"message":"Not Found"}.
expectCall(integ, stack.api.url, { path: 'no-such-route' }, { status: 404, body: { message: 'Not Found' } });

app.synth();
