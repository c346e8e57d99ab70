import { Duration } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALARM_REASONS } from './authorizer-config';

/** Namespace of the metrics the authorizer's log lines feed. */
export const AUTHORIZER_METRIC_NAMESPACE = 'CdkAuth0ProtectedApi';

/**
 * The dimension every authorizer metric is published with: the function's name, which the
 * authorizer writes into each line as `functionName` (lambda/authorizer/log.ts). A metric filter
 * takes dimension values from fields of the matched log event ("The fields to use as dimensions for
 * the metric", https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html);
 * a function name is low-cardinality, one value per authorizer, as AWS asks of dimensions
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-logs-metricfilter-dimension.html).
 * Without it, two protected APIs in one account and region would add up in one metric.
 */
export const FUNCTION_NAME_DIMENSION = 'FunctionName';
const FUNCTION_NAME_FIELD = '$.message.functionName';

/** Thresholds for {@link Auth0ProtectedApi.addAlarms}. */
export interface AuthAlarmOptions {
  /**
   * Alarm when the authorizer logs at least this many errors in `period`. An error is a failure
   * that is not the caller's fault: a failed JWKS fetch, a broken configuration, a bug. Refused
   * tokens (401/403) are not errors, nor is the runtime's own `Invoke Error` line for each 401.
   *
   * @default 1
   */
  readonly authorizerErrorThreshold?: number;

  /**
   * Alarm when this percentage of requests in `period` end in a 5XX.
   *
   * @default 1
   */
  readonly serverErrorRatePercent?: number;

  /**
   * Alarm when the p99 latency of the API (API Gateway's `Latency`, authorizer included) exceeds this.
   *
   * @default Duration.seconds(2)
   */
  readonly latencyP99?: Duration;

  /**
   * The evaluation period of every alarm.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * The API Gateway metrics of an HTTP API: its dimensions are `ApiId` and `Stage`, and its 5XX
 * metric is `5xx` ("Monitor CloudWatch metrics for HTTP APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html).
 */
export interface HttpApiMetrics {
  readonly dimensionsMap: Record<string, string>;
}

/** The authorizer whose log lines feed the metrics: its log group and its function's name. */
export interface AuthorizerLogs {
  readonly logGroup: ILogGroup;
  readonly functionName: string;
}

/** The three alarms, created under `scope/Alarms`. */
export function createAuthAlarms(scope: Construct, api: RestApi | HttpApiMetrics, authorizer: AuthorizerLogs, options: AuthAlarmOptions): Alarm[] {
  const root = new Construct(scope, 'Alarms');
  const period = options.period ?? Duration.minutes(5);
  const errorThreshold = options.authorizerErrorThreshold ?? 1;
  const errorRate = options.serverErrorRatePercent ?? 1;
  const latency = options.latencyP99 ?? Duration.seconds(2);
  if (errorThreshold < 1 || errorRate <= 0 || errorRate > 100 || latency.toMilliseconds() <= 0) {
    throw new Error(`addAlarms: thresholds must be positive (authorizerErrorThreshold ${errorThreshold}, serverErrorRatePercent ${errorRate} of at most 100, latencyP99 ${latency.toHumanString()}). Raise the value.`);
  }

  authorizerMetricFilters(root, authorizer.logGroup);
  const errorMetric = new Metric({
    namespace: AUTHORIZER_METRIC_NAMESPACE,
    metricName: 'AuthorizerErrors',
    dimensionsMap: { [FUNCTION_NAME_DIMENSION]: authorizer.functionName },
    statistic: 'Sum',
    period,
  });

  const apiMetric = (metricName: string, statistic: string) => new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: api instanceof RestApi ? { ApiName: api.restApiName, Stage: api.deploymentStage.stageName } : api.dimensionsMap,
    statistic,
    period,
  });
  const serverErrorRate = new MathExpression({
    expression: '100 * errors / MAX([requests, 1])',
    usingMetrics: { errors: apiMetric(api instanceof RestApi ? '5XXError' : '5xx', 'Sum'), requests: apiMetric('Count', 'Sum') },
    period,
    label: '5XX rate (%)',
  });

  return [
    new Alarm(root, 'AuthorizerErrors', {
      alarmDescription: 'The authorizer logged a failure that is not the caller\'s fault: the issuer\'s JWKS could not be fetched (valid tokens keep passing with the last good keys, for at most 12 h), the configuration is unusable, or a bug (callers get 401). Refused tokens never count.',
      metric: errorMetric,
      threshold: errorThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(root, 'ServerErrorRate', {
      alarmDescription: `More than ${errorRate}% of requests ended in a 5XX (backend failures, or the authorizer itself failing).`,
      metric: serverErrorRate,
      threshold: errorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(root, 'LatencyP99', {
      alarmDescription: `p99 latency above ${latency.toHumanString()}: slow backends, or a slow JWKS on cold starts.`,
      metric: apiMetric('Latency', 'p99'),
      threshold: latency.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  ];
}

/**
 * The metric filters over the authorizer's log group. Under Lambda's JSON log format the runtime
 * writes `{ timestamp, level, requestId, message }` and the authorizer logs one object per event, so
 * its fields are `$.message.*`. The level is not selected on: the runtime itself logs an ERROR
 * `Invoke Error` line for every rejected invocation, that is, every 401, whoever sent the token.
 *
 * - `AuthorizerErrors`: lines whose reason is not the caller's fault ({@link ALARM_REASONS}: issuer
 *   unreachable, unusable configuration, internal error).
 * - `AuthorizerUnauthorized` / `AuthorizerForbidden`: refused requests answered 401 / 403. They count
 *   authorizer invocations: a decision API Gateway serves from its result cache is not counted again.
 *
 * Each is published with the {@link FUNCTION_NAME_DIMENSION} dimension.
 */
function authorizerMetricFilters(scope: Construct, logGroup: ILogGroup): void {
  const reasons = ALARM_REASONS.map((reason) => FilterPattern.stringValue('$.message.reason', '=', reason));
  new MetricFilter(scope, 'AuthorizerErrorFilter', {
    logGroup,
    filterPattern: FilterPattern.any(...reasons),
    metricNamespace: AUTHORIZER_METRIC_NAMESPACE,
    metricName: 'AuthorizerErrors',
    metricValue: '1',
    dimensions: { [FUNCTION_NAME_DIMENSION]: FUNCTION_NAME_FIELD },
  });
  for (const [id, status, metricName] of [['Unauthorized', 401, 'AuthorizerUnauthorized'], ['Forbidden', 403, 'AuthorizerForbidden']] as const) {
    new MetricFilter(scope, `${id}Filter`, {
      logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.message.event', '=', 'request refused'),
        FilterPattern.numberValue('$.message.status', '=', status),
      ),
      metricNamespace: AUTHORIZER_METRIC_NAMESPACE,
      metricName,
      metricValue: '1',
      dimensions: { [FUNCTION_NAME_DIMENSION]: FUNCTION_NAME_FIELD },
    });
  }
}
