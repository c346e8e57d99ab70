import { CfnResource, Duration } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { apiDefinitionProblems, authorizerProblems } from '../authorizer/rendered-authorizer-checks';

/** What the HTTP API construct's authorizer and API must still be when they deploy. */
export interface HttpRenderedChecksOptions {
  readonly api: HttpApi;
  /** The `AWS::ApiGatewayV2::Authorizer`, once a protected route created it. */
  readonly authorizer?: CfnResource;
  readonly fn: CfnResource;
  readonly cacheTtl: Duration;
}

/**
 * The HTTP API authorizer answers payload 2.0 events with simple responses, and its decisions are
 * per route: "By default, API Gateway uses the cached authorizer response for all routes of an API
 * that use the authorizer. To cache responses per route, add $context.routeKey to your authorizer's
 * identity sources" ("Control access to HTTP APIs with AWS Lambda authorizers", section "Caching
 * authorizer responses", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 * A quick-create `Target`/`RouteKey` or an OpenAPI `Body` on the API creates routes no check sees.
 */
export function httpRenderedProblems(options: HttpRenderedChecksOptions): string[] {
  const apiProblems = apiDefinitionProblems(options.api.node.defaultChild as CfnResource, 'httpApi', ['Body', 'BodyS3Location', 'Target', 'RouteKey']);
  if (options.authorizer === undefined) return apiProblems;
  return [...apiProblems, ...httpAuthorizerProblems(options.authorizer, options)];
}

/**
 * The library's `AWS::ApiGatewayV2::Authorizer` as it will deploy: the construct's, and the
 * standalone `Auth0HttpAuthorizer`'s, which promises the same cache guarantees.
 */
export function httpAuthorizerProblems(authorizer: CfnResource, options: Pick<HttpRenderedChecksOptions, 'fn' | 'cacheTtl'>): string[] {
  const format = 'the authorizer function answers payload 2.0 events with simple responses ({ isAuthorized })';
  return authorizerProblems({
    authorizer,
    fn: options.fn,
    exact: [
      { property: 'AuthorizerType', value: 'REQUEST', fix: format },
      { property: 'AuthorizerPayloadFormatVersion', value: '2.0', fix: format },
      { property: 'EnableSimpleResponses', value: true, fix: format },
      { property: 'AuthorizerResultTtlInSeconds', value: options.cacheTtl.toSeconds(), fix: 'set the cache TTL with the authorizerCacheTtl prop' },
    ],
    identitySources: ['$request.header.Authorization', '$context.routeKey'],
    identityReason: 'API Gateway keys a cached decision by the identity sources alone, so without the token one token\'s decision would answer '
      + 'another, and without the route key one route\'s decision would answer every route of the API.',
  });
}
