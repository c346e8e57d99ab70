import { Cors } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import { DpopMode } from '../authorizer/dpop-mode';
import { withDpopHeader } from '../authorizer/dpop-settings';

/**
 * The REST construct's CORS defaults, for the HTTP API. CDK's HTTP API allows no methods and no
 * headers unless told, so a browser's preflight for a protected route (which sends
 * `Authorization`, and often a method other than GET) would be refused. Like REST's
 * `Cors.DEFAULT_HEADERS` and `Cors.ALL_METHODS`, the defaults list the headers and methods by
 * name rather than `*`, which browsers do not honour as a wildcard on credentialed requests.
 * Explicit values are kept as given.
 */
export const DEFAULT_HTTP_CORS_METHODS: CorsHttpMethod[] = [
  CorsHttpMethod.OPTIONS, CorsHttpMethod.GET, CorsHttpMethod.PUT, CorsHttpMethod.POST,
  CorsHttpMethod.DELETE, CorsHttpMethod.PATCH, CorsHttpMethod.HEAD,
];

export function withCorsDefaults(cors: CorsPreflightOptions | undefined, dpop: DpopMode = DpopMode.DISABLED): CorsPreflightOptions | undefined {
  if (cors === undefined) return undefined;
  return {
    ...cors,
    // With DPoP on, browsers must be allowed to send the DPoP proof header too.
    allowHeaders: withDpopHeader(cors.allowHeaders ?? [...Cors.DEFAULT_HEADERS], dpop),
    allowMethods: cors.allowMethods ?? DEFAULT_HTTP_CORS_METHODS,
  };
}
