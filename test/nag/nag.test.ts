import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { env, findings, nagApp, suppressExampleBackend } from './nag-support';
import { ExampleStack } from '../../examples/typescript/example-stack';
import { Auth0ProtectedApi, Auth0ProtectedApiProps } from '../../src';
import { keepForLint } from '../construct/synth';

describe('cdk-nag', () => {
  test('the example stack has no unsuppressed AwsSolutions or Serverless findings', () => {
    const app = nagApp();
    const stack = new ExampleStack(app, 'Example', { env });
    suppressExampleBackend(stack);
    keepForLint(app.synth().getStackByName(stack.stackName).template);
    expect(findings(stack)).toEqual([]);
  });

  test.each<[string, Partial<Auth0ProtectedApiProps>]>([
    ['defaults', {}],
    ['cors and public routes', { cors: { allowOrigins: ['*'] }, publicRoutes: ['GET /health', 'GET /docs/{proxy+}'] }],
    ['tracing and overlapping routes', { tracing: true }],
  ])('a user stack adding many routes inherits no findings (%s)', (_name, props) => {
    const app = nagApp();
    const stack = new Stack(app, 'User', { env });
    const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com', ...props });
    for (const route of props.publicRoutes ?? []) api.addRoute(route, new MockIntegration());
    api.addRoute('GET /items/{id}', new MockIntegration(), { scopes: ['read:items'] });
    api.addRoute('GET /items/{id}/secret', new MockIntegration(), { scopes: ['admin'] });
    api.addRoute('ANY /files/{proxy+}', new MockIntegration());
    api.addAlarms();
    keepForLint(app.synth().getStackByName(stack.stackName).template);
    expect(findings(stack)).toEqual([]);
  });

  test('the example stack under the flags cdk init writes (its own CloudWatch role) has no unsuppressed findings', () => {
    const app = nagApp({ '@aws-cdk/aws-apigateway:disableCloudWatchRole': true });
    const stack = new ExampleStack(app, 'Example', { env });
    suppressExampleBackend(stack);
    keepForLint(app.synth().getStackByName(stack.stackName).template);
    expect(findings(stack)).toEqual([]);
  });

  test('every suppression the construct adds names a rule and gives a specific reason', () => {
    const app = new App();
    const stack = new ExampleStack(app, 'Example', { env });
    const template = app.synth().getStackByName(stack.stackName).template;
    type Resource = { Metadata?: Record<string, { rules_to_suppress: { id: string; reason: string }[] }> };
    const suppressions = Object.entries(template.Resources as Record<string, Resource>)
      .flatMap(([logicalId, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => ({ logicalId, ...s })));
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+$/);
      expect(s.reason.length).toBeGreaterThan(40);
    }
    // No blanket suppressions on the stack: each sits on the resource it concerns.
    expect(stack.templateOptions.metadata?.cdk_nag).toBeUndefined();
  });
});
