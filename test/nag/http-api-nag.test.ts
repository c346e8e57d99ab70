import { Stack } from 'aws-cdk-lib';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { env, findings, nagApp, suppressExampleBackend } from './nag-support';
import { HttpApiExampleStack } from '../../examples/typescript/http-api-stack';
import { Auth0ProtectedHttpApi, Auth0ProtectedHttpApiProps } from '../../src';
import { keepForLint } from '../construct/synth';

describe('cdk-nag on Auth0ProtectedHttpApi', () => {
  test('the HTTP API example stack has no unsuppressed AwsSolutions or Serverless findings', () => {
    const app = nagApp();
    const stack = new HttpApiExampleStack(app, 'HttpExample', { env });
    suppressExampleBackend(stack);
    keepForLint(app.synth().getStackByName(stack.stackName).template);
    expect(findings(stack)).toEqual([]);
  });

  test.each<[string, Partial<Auth0ProtectedHttpApiProps>]>([
    ['defaults', {}],
    ['cors, public routes, $default', { cors: { allowOrigins: ['https://app.example.com'] }, publicRoutes: ['GET /health'] }],
  ])('a user stack adding many routes inherits no findings (%s)', (_name, props) => {
    const app = nagApp();
    const stack = new Stack(app, 'User', { env });
    const api = new Auth0ProtectedHttpApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', ...props });
    const backend = new HttpUrlIntegration('Backend', 'https://backend.example.com/{proxy}');
    for (const route of props.publicRoutes ?? []) api.addRoute(route, backend);
    api.addRoute('GET /items/{id}', backend, { scopes: ['read:items'] });
    api.addRoute('GET /items/{id}/secret', backend, { scopes: ['admin'] });
    api.addRoute('ANY /files/{proxy+}', backend);
    api.addRoute('$default', backend);
    api.addAlarms();
    keepForLint(app.synth().getStackByName(stack.stackName).template);
    expect(findings(stack)).toEqual([]);
  });
});
