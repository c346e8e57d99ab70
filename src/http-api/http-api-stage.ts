import { Lazy } from 'aws-cdk-lib';
import { CfnStage, HttpApi, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';

/** Stage throttling unless the user sets it, as on the REST construct. */
export const DEFAULT_HTTP_THROTTLE: ThrottleSettings = { rateLimit: 1000, burstLimit: 2000 };

/**
 * One JSON line per request, from the variables HTTP APIs offer ("Customizing HTTP API access
 * logs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html).
 * A Lambda authorizer with simple responses returns no principal, so the caller is the `sub` the
 * authorizer puts in its context. The Authorization header is not among the fields.
 */
export const HTTP_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  principal: '$context.authorizer.sub',
  method: '$context.httpMethod',
  route: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
});

/** A route key with its own throttling. */
export interface HttpRouteThrottle {
  readonly routeKey: string;
  readonly throttle: ThrottleSettings;
}

/**
 * Configures the API's default stage: JSON access logs to `logGroup`, stage throttling, and the
 * per-route throttles (known only once every route is added, so written lazily).
 */
export function configureHttpStage(
  api: HttpApi, logGroup: ILogGroup, throttle: ThrottleSettings, routeThrottles: () => HttpRouteThrottle[],
): CfnStage {
  const stage = api.defaultStage?.node.defaultChild as CfnStage | undefined;
  if (!stage) {
    throw new Error('httpApiProps.createDefaultStage: the HTTP API has no default stage, so access logs and throttling cannot be set. Remove createDefaultStage: false.');
  }
  stage.accessLogSettings = { destinationArn: logGroup.logGroupArn, format: HTTP_ACCESS_LOG_FORMAT };
  stage.defaultRouteSettings = {
    ...(stage.defaultRouteSettings as CfnStage.RouteSettingsProperty | undefined),
    throttlingRateLimit: throttle.rateLimit,
    throttlingBurstLimit: throttle.burstLimit,
  };
  stage.routeSettings = Lazy.any({
    produce: () => {
      const routes = routeThrottles();
      if (routes.length === 0) return undefined;
      // RouteSettings is a JSON map in CloudFormation, so its keys are written as CloudFormation spells them.
      return Object.fromEntries(routes.map((r) => [r.routeKey, {
        ThrottlingRateLimit: r.throttle.rateLimit,
        ThrottlingBurstLimit: r.throttle.burstLimit,
      }]));
    },
  });
  return stage;
}
