import { CfnResource, Duration } from 'aws-cdk-lib';
import { IdentitySource, RequestAuthorizer, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { DirectMethods } from './direct-methods';
import { renderedMethodsOf } from './rendered-methods';
import { PolicyScope } from '../authorizer/authorizer-config';
import { externalTemplateProblems, guardedResources } from '../authorizer/external-templates';
import { foreignAuthorizerProblems } from '../authorizer/own-authorizers';
import { apiDefinitionProblems, authorizerProblems } from '../authorizer/rendered-authorizer-checks';
import { stackTransformProblems } from '../authorizer/stack-transforms';

/** What the REST construct's methods, authorizer and API must still be when they deploy. */
export interface RestRenderedChecksOptions {
  readonly directMethods: DirectMethods;
  readonly api: RestApi;
  /** The construct's authorizer, once a protected route created it. */
  readonly authorizer?: RequestAuthorizer;
  readonly fn: LambdaFunction;
  readonly cacheTtl: Duration;
  readonly policyScope: PolicyScope;
}

/** Everything the REST construct checks on what deploys (see rendered-resources.ts): methods, API, authorizer, foreign use of its function. */
export function restRenderedProblems(owner: IConstruct, options: RestRenderedChecksOptions): string[] {
  const authorizer = options.authorizer?.node.defaultChild as CfnResource | undefined;
  return [
    ...options.directMethods.problems(authorizer),
    ...apiDefinitionProblems(options.api.node.defaultChild as CfnResource, 'restApi', ['Body', 'BodyS3Location', 'CloneFrom']),
    ...(authorizer ? restAuthorizerProblems(authorizer, options) : []),
    ...foreignAuthorizerProblems(options.fn, owner.node.path),
    ...stackTransformProblems([options.api, options.fn, ...renderedMethodsOf(options.api).map((m) => m.resource)], 'restApi'),
    ...externalTemplateProblems(guardedResources(options.api, 'restApi', options.fn)),
  ];
}

/**
 * The REST authorizer is a REQUEST authorizer. API Gateway derives its cache key from the identity
 * sources alone ("These parameters will be used to derive the authorization caching key", API
 * Gateway REST API Reference, Authorizer, identitySource:
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html), so the token must be
 * one of them, and in route mode (choosePolicyScope in routes.ts: some route's policy would reach
 * a route its scopes do not cover) the method and resource path must be too. Used by the construct
 * and by the standalone `Auth0RestAuthorizer`, which promises the same cache guarantees.
 */
export function restAuthorizerProblems(
  authorizer: CfnResource,
  options: Pick<RestRenderedChecksOptions, 'fn' | 'cacheTtl' | 'policyScope'>,
): string[] {
  const route = options.policyScope === 'route';
  return authorizerProblems({
    authorizer,
    fn: options.fn.node.defaultChild as CfnResource,
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
  });
}
