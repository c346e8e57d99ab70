import { Lazy } from 'aws-cdk-lib';
import { AccessLogFormat, CfnStage, LogGroupLogDestination, MethodLoggingLevel, StageOptions, ThrottleSettings } from 'aws-cdk-lib/aws-apigateway';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { RouteThrottle } from '../authorizer/route-table';

/** Stage throttling unless the user sets it: API Gateway's account default (10,000 rps) is rarely what one API should get. */
export const DEFAULT_THROTTLE: ThrottleSettings = { rateLimit: 1000, burstLimit: 2000 };

/**
 * One JSON line per request: who called which route, what the authorizer said, and how long it took.
 * The Authorization header is not among the fields.
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  principal: '$context.authorizer.principalId',
  method: '$context.httpMethod',
  route: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatency: '$context.authorizer.latency',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
}));

/** What the construct needs to build the stage. */
export interface StageSettingsInput {
  readonly userOptions: StageOptions | undefined;
  readonly accessLogGroup: ILogGroup;
  readonly throttle: ThrottleSettings | undefined;
  readonly tracing: boolean;
}

/**
 * The stage options: JSON access logs, error-level execution logs, throttling, and no data trace
 * (it would write tokens to logs).
 * Options the user set in `restApiProps.deployOptions` win; conflicts with the construct's own props fail.
 */
export function stageOptions(input: StageSettingsInput): StageOptions {
  const user = input.userOptions ?? {};
  if (input.throttle && (user.throttlingRateLimit !== undefined || user.throttlingBurstLimit !== undefined)) {
    throw new Error('throttle: stage throttling is set both in throttle and in restApiProps.deployOptions. Set it only in throttle.');
  }
  const throttle = user.throttlingRateLimit !== undefined || user.throttlingBurstLimit !== undefined
    ? { rateLimit: user.throttlingRateLimit, burstLimit: user.throttlingBurstLimit }
    : input.throttle ?? DEFAULT_THROTTLE;
  return {
    accessLogDestination: new LogGroupLogDestination(input.accessLogGroup),
    accessLogFormat: ACCESS_LOG_FORMAT,
    // Execution logs for errors only; data trace would write Authorization headers to the logs.
    loggingLevel: MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    tracingEnabled: input.tracing,
    ...user,
    throttlingRateLimit: throttle.rateLimit,
    throttlingBurstLimit: throttle.burstLimit,
  };
}

/**
 * Adds per-route throttling to the stage. Routes arrive after the stage exists, so the settings
 * the stage already has are kept and the route settings are appended at synth time.
 */
export function addRouteThrottles(stage: CfnStage, routes: () => RouteThrottle[]): void {
  const existing = stage.methodSettings;
  stage.methodSettings = Lazy.any({
    produce: () => {
      const own = routes().map((r) => ({
        // API Gateway names a method setting by its resource path with '/' written as '~1'.
        resourcePath: r.path === '/' ? '/' : `/~1${r.path.slice(1).split('/').join('~1')}`,
        httpMethod: r.method === 'ANY' ? '*' : r.method,
        throttlingRateLimit: r.throttle.rateLimit,
        throttlingBurstLimit: r.throttle.burstLimit,
      }));
      const all = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), ...own];
      return all.length > 0 ? all : undefined;
    },
  }, { omitEmptyArray: true });
}
