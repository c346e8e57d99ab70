import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { AwsSolutionsChecks, NagSuppressions, ServerlessChecks } from 'cdk-nag';
import { ExampleStack } from '../../examples/typescript/example-stack';
import { Auth0ProtectedApi, Auth0ProtectedApiProps } from '../../src';
import { keepForLint } from '../construct/synth';

/** Every cdk-nag error and warning left after suppressions, as `path: rule`. */
function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('.*')),
  ].map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
}

function nagApp(): App {
  const app = new App();
  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new ServerlessChecks());
  return app;
}

const env = { account: '123456789012', region: 'us-east-1' };

describe('cdk-nag', () => {
  test('the example stack has no unsuppressed AwsSolutions or Serverless findings', () => {
    const app = nagApp();
    const stack = new ExampleStack(app, 'Example', { env });
    // The example's own echo backend is not part of the construct; its findings are the example's.
    NagSuppressions.addResourceSuppressionsByPath(stack, '/Example/Backend/Resource', [
      { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway; a DLQ serves only asynchronous invocations.' },
      { id: 'Serverless-LambdaTracing', reason: 'The example keeps X-Ray off, as the construct does by default.' },
    ]);
    NagSuppressions.addResourceSuppressionsByPath(stack, '/Example/Backend/ServiceRole/Resource', [{
      id: 'AwsSolutions-IAM4',
      reason: 'The example backend only writes its logs; AWSLambdaBasicExecutionRole is that and nothing more.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }]);
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
