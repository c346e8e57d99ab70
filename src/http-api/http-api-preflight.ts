import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Answers CORS preflight requests that an `ANY` route or `$default` would otherwise catch.
 *
 * With a CORS configuration, API Gateway answers preflight `OPTIONS` requests itself only when no
 * route matches them; `ANY` routes and `$default` match `OPTIONS` too, and then the route's
 * authorizer refuses the preflight, which carries no token. API Gateway's guidance is an `OPTIONS`
 * route without authorization ("Configure CORS for HTTP APIs in API Gateway", section on the
 * `$default` route and an authorizer, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 * Its integration is this function rather than the route's backend, so no backend ever receives
 * an unauthenticated request: it returns 204 and API Gateway adds the configured CORS headers.
 */
export const PREFLIGHT_HANDLER = 'exports.handler = async () => ({ statusCode: 204 });';

export function createPreflightFunction(scope: Construct): LambdaFunction {
  const logGroup = new LogGroup(scope, 'PreflightLogs', { retention: RetentionDays.ONE_YEAR });
  const role = new Role(scope, 'PreflightRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: 'Lets the CORS preflight responder write its logs, and nothing else',
  });
  logGroup.grantWrite(role);
  return new LambdaFunction(scope, 'Preflight', {
    description: 'Answers CORS preflight requests that ANY routes and $default would catch',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    handler: 'index.handler',
    code: Code.fromInline(PREFLIGHT_HANDLER),
    role,
    memorySize: 128,
    timeout: Duration.seconds(3),
    loggingFormat: LoggingFormat.JSON,
    logGroup,
  });
}
