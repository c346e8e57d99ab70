import { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { suppress, Suppression } from '../authorizer/nag-metadata';

/** What the HTTP API construct built, so each accepted finding is recorded on exactly its resource. */
export interface HttpSuppressionTargets {
  readonly authorizer: LambdaFunction;
  readonly protectedRoutes: HttpRoute[];
  readonly publicRoutes: HttpRoute[];
  readonly preflight?: LambdaFunction;
}

/** The cdk-nag findings the HTTP API construct accepts, and why (see nag-suppressions.ts for the REST ones). */
export function suppressHttpApiFindings(targets: HttpSuppressionTargets): void {
  const publicReason = 'The route is listed in publicRoutes, or answers CORS preflight (which carries no token): it needs no authorization.';
  for (const route of targets.publicRoutes) {
    suppress(route, [{ id: 'AwsSolutions-APIG4', reason: publicReason }, { id: 'AwsSolutions-COG4', reason: publicReason }]);
  }
  const cognito = { id: 'AwsSolutions-COG4', reason: 'Tokens are verified by the Auth0/OpenID Connect Lambda authorizer of cdk-auth0-protected-api, not by a Cognito user pool.' };
  for (const route of targets.protectedRoutes) suppress(route, [cognito]);
  const lambdaFindings = (traced: string): Suppression[] => [
    { id: 'Serverless-LambdaDLQ', reason: 'API Gateway invokes this function synchronously; a dead-letter queue only serves asynchronous invocations.' },
    { id: 'Serverless-LambdaTracing', reason: traced },
  ];
  suppress(targets.authorizer, lambdaFindings('HTTP APIs have no X-Ray tracing, so a traced authorizer would show isolated segments only; the construct leaves it off.'));
  if (targets.preflight) suppress(targets.preflight, lambdaFindings('The preflight responder returns a constant 204; tracing it would show nothing.'));
}
