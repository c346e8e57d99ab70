import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Auth0ProtectedApi } from '../../src';

const env = { account: '123456789012', region: 'us-east-1' };

describe('cdk-nag and allowDirectMethod', () => {
  test('a method opened with allowDirectMethod carries the owner\'s reason as its accepted finding', () => {
    // GIVEN
    const app = new App();
    Aspects.of(app).add(new AwsSolutionsChecks());
    const stack = new Stack(app, 'User', { env });
    const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' });
    api.addRoute('GET /items', new MockIntegration());
    api.allowDirectMethod(api.restApi.root.addResource('ping').addMethod('GET', new MockIntegration()), 'load balancer health check, no data');

    // WHEN
    const template = app.synth().getStackByName(stack.stackName).template;

    // THEN no finding is left on it, and the suppression quotes the owner's reason
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));
    expect(errors.map((e) => e.id).filter((id) => id.includes('ping'))).toEqual([]);
    type Resource = { Metadata?: Record<string, unknown> };
    const ping = Object.values(template.Resources as Record<string, Resource>)
      .find((r) => r.Metadata?.['cdk-auth0-protected-api:direct-method'] !== undefined)!;
    expect(ping.Metadata!.cdk_nag).toEqual({
      rules_to_suppress: expect.arrayContaining([
        { id: 'AwsSolutions-APIG4', reason: expect.stringMatching(/allowDirectMethod.*load balancer health check, no data/) },
        { id: 'AwsSolutions-COG4', reason: expect.stringMatching(/allowDirectMethod.*load balancer health check, no data/) },
      ]),
    });
  });
});
