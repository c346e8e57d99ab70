import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AwsSolutionsChecks, NagSuppressions, ServerlessChecks } from 'cdk-nag';
import { HttpApiExampleStack } from '../../examples/typescript/http-api-stack';
import { Auth0ProtectedHttpApi, Auth0ProtectedHttpApiProps } from '../../src';
import { keepForLint } from '../construct/synth';

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

describe('cdk-nag on Auth0ProtectedHttpApi', () => {
  test('the HTTP API example stack has no unsuppressed AwsSolutions or Serverless findings', () => {
    const app = nagApp();
    const stack = new HttpApiExampleStack(app, 'HttpExample', { env });
    // The example's own echo backend is not part of the construct; its findings are the example's.
    NagSuppressions.addResourceSuppressionsByPath(stack, '/HttpExample/Backend/Resource', [
      { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway; a DLQ serves only asynchronous invocations.' },
      { id: 'Serverless-LambdaTracing', reason: 'The example keeps X-Ray off, as the construct does.' },
    ]);
    NagSuppressions.addResourceSuppressionsByPath(stack, '/HttpExample/Backend/ServiceRole/Resource', [{
      id: 'AwsSolutions-IAM4',
      reason: 'The example backend only writes its logs; AWSLambdaBasicExecutionRole is that and nothing more.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }]);
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
