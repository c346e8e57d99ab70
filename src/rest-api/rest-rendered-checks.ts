import { CfnResource, Duration } from 'aws-cdk-lib';
import { IdentitySource, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { PolicyScope } from '../authorizer/authorizer-config';
import { apiDefinitionProblems, authorizerProblems } from '../authorizer/rendered-authorizer-checks';

/** What the REST construct's authorizer and API must still be when they deploy. */
export interface RestRenderedChecksOptions {
  readonly api: RestApi;
  /** The `AWS::ApiGateway::Authorizer`, once a protected route created it. */
  readonly authorizer?: CfnResource;
  readonly fn: CfnResource;
  readonly cacheTtl: Duration;
  readonly policyScope: PolicyScope;
}

/**
 * The REST authorizer is a REQUEST authorizer. API Gateway derives its cache key from the identity
 * sources alone ("These parameters will be used to derive the authorization caching key", API
 * Gateway REST API Reference, Authorizer, identitySource:
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html), so the token must be
 * one of them, and in route mode (choosePolicyScope in routes.ts: some route's policy would reach
 * a route its scopes do not cover) the method and resource path must be too.
 */
export function restRenderedProblems(options: RestRenderedChecksOptions): string[] {
  const apiProblems = apiDefinitionProblems(options.api.node.defaultChild as CfnResource, 'restApi', ['Body', 'BodyS3Location', 'CloneFrom']);
  if (options.authorizer === undefined) return apiProblems;
  const route = options.policyScope === 'route';
  return [...apiProblems, ...authorizerProblems({
    authorizer: options.authorizer,
    fn: options.fn,
    exact: [
      { property: 'Type', value: 'REQUEST', fix: 'the authorizer function answers REQUEST events, and its cache key needs the request\'s method and path' },
      { property: 'AuthorizerResultTtlInSeconds', value: options.cacheTtl.toSeconds(), fix: 'set the cache TTL with the authorizerCacheTtl prop' },
    ],
    identitySources: [
      IdentitySource.header('Authorization'),
      ...(route ? [IdentitySource.context('httpMethod'), IdentitySource.context('resourcePath')] : []),
    ],
    identityReason: route
      ? 'API Gateway keys a cached decision by the identity sources alone, and this route table\'s policies would reach across routes, so one route\'s cached decision would answer another.'
      : 'API Gateway keys a cached decision by the identity sources alone, so one token\'s cached decision would answer requests with another token.',
  })];
}
