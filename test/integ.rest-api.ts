/**
 * Integration test on AWS: the REST example (examples/typescript/example-stack.ts) deployed against a
 * real Auth0 tenant, and the status matrix asserted with HTTP calls. README, "Integration tests on AWS".
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { bearerToken, commonMatrix, expectCall, INTEG_AUDIENCE, INTEG_DOMAIN } from './support/integ-matrix';
import { ExampleStack } from '../examples/typescript/example-stack';

const app = new App();
const stack = new ExampleStack(app, 'Auth0ProtectedApiInteg', { domain: INTEG_DOMAIN, audience: INTEG_AUDIENCE });
const integ = new IntegTest(app, 'RestApi', { testCases: [stack], diffAssets: false });
const bearer = bearerToken(integ);
commonMatrix(integ, stack.api.url, bearer);

// Open question: whether API Gateway passes the trailing slash in the method ARN. The authorizer's
// policy allows a literal route's trailing-slash ARN (and the bare one), so either way this is 200.
expectCall(integ, stack.api.url, { path: 'colors/', headers: { authorization: bearer } }, { status: 200 });
// REST: no route at all is 403 MissingAuthenticationTokenException, without invoking the authorizer.
expectCall(integ, stack.api.url, { path: 'no-such-route' }, { status: 403, body: { message: 'Missing Authentication Token' } });

app.synth();
