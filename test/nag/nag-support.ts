/** What both cdk-nag suites share: an app under both rule packs, its findings, and the example backend's accepted ones. */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NagSuppressions, ServerlessChecks } from 'cdk-nag';

/** Every cdk-nag error and warning left after suppressions, as `path: rule`. */
export function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('.*')),
  ].map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
}

export function nagApp(context: Record<string, unknown> = {}): App {
  const app = new App({ context });
  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new ServerlessChecks());
  return app;
}

export const env = { account: '123456789012', region: 'us-east-1' };

/** The example's own echo backend (`Backend`) is not part of the construct; its findings are the example's. */
export function suppressExampleBackend(stack: Stack): void {
  const root = `/${stack.stackName}/Backend`;
  NagSuppressions.addResourceSuppressionsByPath(stack, `${root}/Resource`, [
    { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway; a DLQ serves only asynchronous invocations.' },
    { id: 'Serverless-LambdaTracing', reason: 'The example keeps X-Ray off, as the construct does by default.' },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(stack, `${root}/ServiceRole/Resource`, [{
    id: 'AwsSolutions-IAM4',
    reason: 'The example backend only writes its logs; AWSLambdaBasicExecutionRole is that and nothing more.',
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  }]);
}
