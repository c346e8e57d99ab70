import { Annotations, Stack } from 'aws-cdk-lib';
import { CfnStage, RestApi, SpecRestApi } from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';

/** The props that shape an API the construct creates; with `restApi` they would be ignored. */
const CREATION_PROPS = ['restApiProps', 'cors', 'throttle', 'accessLogGroup', 'tracing'] as const;

/**
 * Checks a REST API handed to the construct (`restApi`) and the props given with it.
 *
 * Only a `RestApi` (or `LambdaRestApi`) defined in this app can be taken over: its methods are
 * constructs the construct can read and change at synthesis. An imported API
 * (`RestApi.fromRestApiId`, `fromRestApiAttributes`) has methods this app cannot see, and a
 * `SpecRestApi` keeps its methods in an OpenAPI body that may be a file or an S3 object the
 * construct cannot read or rewrite; both would leave methods unprotected, so both are refused.
 */
export function checkRestApiHandover(restApi: unknown, props: Record<string, unknown>): RestApi {
  if (restApi instanceof SpecRestApi) {
    throw new Error('restApi: a SpecRestApi keeps its methods in an OpenAPI definition, which this construct cannot read or rewrite, so it cannot protect them. '
      + 'Define the API as a RestApi (addResource/addMethod) and hand that over, or put an x-amazon-apigateway-authorizer in the definition yourself.');
  }
  if (!(restApi instanceof RestApi)) {
    throw new Error(`restApi: ${describe(restApi)} is not a RestApi defined in this app (an imported API, RestApi.fromRestApiId or fromRestApiAttributes, has methods this app cannot see). `
      + 'Hand over the RestApi or LambdaRestApi construct itself, or put an Auth0RestAuthorizer on the methods you define.');
  }
  const conflicting = CREATION_PROPS.filter((name) => props[name] !== undefined);
  if (conflicting.length > 0) {
    throw new Error(`restApi: ${conflicting.join(', ')} ${conflicting.length === 1 ? 'is' : 'are'} set too, but ${conflicting.length === 1 ? 'it shapes' : 'they shape'} only an API this construct creates. `
      + 'A handed-over REST API keeps its own stage, logging, throttling and CORS: set them on your RestApi (deployOptions, defaultCorsPreflightOptions) and remove them here.');
  }
  try {
    void restApi.deploymentStage;
  } catch {
    throw new Error(`restApi: ${restApi.node.path} has no deployment stage (deploy: false), so it has no URL this construct can give. Hand over an API with deploy: true.`);
  }
  return restApi;
}

/** Stage settings stay the owner's; an unlogged stage is legal, but nobody could tell who called what. */
export function warnIfNoAccessLogs(scope: IConstruct, restApi: RestApi): void {
  const stage = restApi.deploymentStage.node.defaultChild as CfnStage;
  const settings = Stack.of(stage).resolve(stage.accessLogSetting) as { destinationArn?: unknown } | undefined;
  if (settings?.destinationArn === undefined) {
    Annotations.of(scope).addWarningV2('cdk-auth0-protected-api:noAccessLogs',
      `restApi: the stage "${Stack.of(stage).resolve(stage.stageName)}" writes no access logs, so refused and allowed calls leave no trace. `
      + 'Set deployOptions.accessLogDestination and accessLogFormat on your RestApi.');
  }
}

function describe(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'node' in value) return `the construct at ${(value as IConstruct).node.path}`;
  return typeof value;
}
