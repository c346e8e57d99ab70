import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Auth0ProtectedHttpApiProps } from './auth0-protected-http-api-props';
import { withCorsDefaults } from './http-api-cors';
import { configureHttpStage, DEFAULT_HTTP_THROTTLE, HttpRouteThrottle } from './http-api-stage';
import { checkCorsOrigins } from '../authorizer/cors-origins';
import { DpopMode } from '../authorizer/dpop-mode';

/** The HTTP API `Auth0ProtectedHttpApi` creates when no `httpApi` is handed over, and its access logs. */
export interface CreatedHttpApi {
  readonly httpApi: HttpApi;
  readonly accessLogGroup: ILogGroup;
}

/**
 * Creates the construct's own HTTP API under `scope` (construct IDs `Api` and `AccessLogs`: they
 * are API), with CORS from the `cors` prop, JSON access logs and throttling on its default stage.
 *
 * @param dpop the DPoP mode: with DPoP on, CORS allows the `DPoP` request header
 * @param throttles each route's own throttling, read when the stage is rendered
 */
export function createHttpApi(
  scope: Construct, props: Auth0ProtectedHttpApiProps, dpop: DpopMode, throttles: () => HttpRouteThrottle[],
): CreatedHttpApi {
  checkHttpApiProps(props);
  const httpApi = new HttpApi(scope, 'Api', {
    apiName: scope.node.path.replace(/\//g, '-'),
    ...props.httpApiProps,
    corsPreflight: withCorsDefaults(props.cors, dpop),
  });
  const accessLogGroup = props.accessLogGroup ?? new LogGroup(scope, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
  configureHttpStage(httpApi, accessLogGroup, props.throttle ?? DEFAULT_HTTP_THROTTLE, throttles);
  return { httpApi, accessLogGroup };
}

/**
 * Settings of `httpApiProps` this construct owns, and CORS origins no API should trust (`null`, `*` with credentials).
 *
 * Unlike the REST construct, several `allowOrigins` together with `allowCredentials` are fine here:
 * an HTTP API's CORS configuration is applied by API Gateway per request, which answers a listed
 * `Origin` with that origin itself and an unlisted one with no CORS headers ("Configure CORS for
 * HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 * There are no fixed-header error responses that would have to say `*` or reflect any origin.
 */
function checkHttpApiProps(props: Auth0ProtectedHttpApiProps): void {
  const api = props.httpApiProps;
  if (api?.defaultAuthorizer || api?.defaultAuthorizationScopes) {
    throw new Error('httpApiProps.defaultAuthorizer: sets a default authorizer or scopes, which would also apply to public routes and CORS preflight. Remove it; this construct authorizes each protected route itself.');
  }
  if (api?.corsPreflight) {
    throw new Error('httpApiProps.corsPreflight: CORS is set there. Set it in cors instead, '
      + 'so ANY and $default routes get their preflight route.');
  }
  if (props.cors) checkCorsOrigins('cors', props.cors.allowOrigins, props.cors.allowCredentials);
}
