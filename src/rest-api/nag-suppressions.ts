import { Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { suppress, Suppression } from '../authorizer/nag-metadata';

/** What the construct built, so each finding is suppressed on exactly the resource it concerns. */
export interface SuppressionTargets {
  readonly api: RestApi;
  readonly authorizer: LambdaFunction;
  readonly protectedMethods: Method[];
  readonly publicMethods: Method[];
  /** Methods added directly and left outside the authorizer on purpose, with their owner's reason. */
  readonly openedMethods?: { readonly method: Method; readonly reason: string }[];
  readonly tracing: boolean;
  /** False for a handed-over API: its stage and account role are its owner's, and so are their findings. */
  readonly ownsApi?: boolean;
}

/**
 * Records, on the construct's own resources, the cdk-nag findings it accepts and why. cdk-nag reads
 * this metadata, so the package needs no dependency on cdk-nag, and routes a user adds later get
 * the same treatment as the first ones.
 */
export function suppressAcceptedFindings(targets: SuppressionTargets): void {
  const cognito = { id: 'AwsSolutions-COG4', reason: 'Tokens are verified by the Auth0/OpenID Connect Lambda authorizer of cdk-auth0-protected-api, not by a Cognito user pool.' };
  for (const method of targets.protectedMethods) suppress(method, [cognito]);
  for (const method of targets.publicMethods) {
    suppress(method, [
      { id: 'AwsSolutions-APIG4', reason: 'The route is listed in publicRoutes: its owner declared that it needs no authorization.' },
      { id: 'AwsSolutions-COG4', reason: 'The route is listed in publicRoutes: its owner declared that it needs no authorization.' },
    ]);
  }

  for (const { method, reason } of targets.openedMethods ?? []) {
    const why = `Added directly and left outside the authorizer with allowDirectMethod by its owner: ${reason}`;
    suppress(method, [{ id: 'AwsSolutions-APIG4', reason: why }, { id: 'AwsSolutions-COG4', reason: why }]);
  }

  if (targets.ownsApi !== false) suppressApiFindings(targets);

  const authorizerFindings: Suppression[] = [{
    id: 'Serverless-LambdaDLQ',
    reason: 'API Gateway invokes the authorizer synchronously; a dead-letter queue only serves asynchronous invocations.',
  }];
  if (!targets.tracing) authorizerFindings.push({ id: 'Serverless-LambdaTracing', reason: 'X-Ray tracing is opt-in (tracing prop) because it is billed per traced request.' });
  suppress(targets.authorizer, authorizerFindings);
  if (targets.tracing) {
    const policy = targets.authorizer.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      suppress(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray accepts only "*" as the resource of xray:PutTraceSegments and xray:PutTelemetryRecords.',
        applies_to: ['Resource::*'],
      }]);
    }
  }
}

/** Findings on the API, its stage and API Gateway's account role: only where the construct created the API. */
function suppressApiFindings(targets: SuppressionTargets): void {
  suppress(targets.api, [{
    id: 'AwsSolutions-APIG2',
    reason: 'The authorizer validates the Authorization header; request schemas belong to each integration, which the construct cannot know. Add a RequestValidator per method where a schema exists.',
  }]);
  const stage = targets.api.deploymentStage;
  const stageFindings: Suppression[] = [{
    id: 'AwsSolutions-APIG3',
    reason: 'A WAF web ACL is an account- and application-specific choice with its own cost; associate one with the stage (CfnWebACLAssociation) where needed.',
  }];
  if (!targets.tracing) stageFindings.push({ id: 'Serverless-APIGWXrayEnabled', reason: 'X-Ray tracing is opt-in (tracing prop) because it is billed per traced request.' });
  suppress(stage, stageFindings);

  const cloudWatchRole = targets.api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    suppress(cloudWatchRole, [{
      id: 'AwsSolutions-IAM4',
      reason: 'API Gateway writes access and execution logs through this account-level role; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it.',
      applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    }]);
  }
}
