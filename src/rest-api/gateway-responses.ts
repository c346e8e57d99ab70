import { CorsOptions, ResponseType, RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import { validateCorsForErrorResponses } from './cors';
import { DpopMode } from '../authorizer/dpop-mode';
import { wwwAuthenticate } from '../authorizer/dpop-settings';

/**
 * Headers a browser needs to read an error API Gateway produced itself. Without them a 401 from
 * the authorizer reaches the page as an opaque CORS failure, and the app cannot tell
 * "log in again" from "network down".
 */
export function corsErrorHeaders(cors: CorsOptions): Record<string, string> {
  validateCorsForErrorResponses(cors);
  const origins = cors.allowOrigins;
  const headers: Record<string, string> = {
    // Lets scripts read why they were refused (RFC 6750 error codes).
    'Access-Control-Expose-Headers': "'WWW-Authenticate'",
  };
  if (origins.length === 1) {
    headers['Access-Control-Allow-Origin'] = `'${origins[0]}'`;
    if (origins[0] !== '*') headers.Vary = "'Origin'";
    if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
  } else {
    // Several allowed origins: a gateway response has fixed headers and cannot choose among them
    // (literal strings or request parameters only: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html).
    // Its body is a fixed message, so every page may read it, but never with credentials:
    // '*' rather than the caller's Origin echoed back (validateCorsForErrorResponses refuses credentials here).
    headers['Access-Control-Allow-Origin'] = "'*'";
  }
  return headers;
}

/**
 * 401 and 403 with a JSON body and `WWW-Authenticate` naming the accepted schemes (`Bearer`,
 * RFC 6750; `DPoP` with its proof algorithms, RFC 9449 section 7.1), and CORS headers on every
 * error API Gateway answers by itself when CORS is on.
 */
export function addAuthGatewayResponses(api: RestApiBase, cors: CorsOptions | undefined, dpop: DpopMode = DpopMode.DISABLED): void {
  const corsHeaders = cors ? corsErrorHeaders(cors) : {};
  const json = (error: string, message: string) => ({
    'application/json': JSON.stringify({ message, error }),
  });
  const add = (id: string, type: ResponseType, headers: Record<string, string>, templates?: Record<string, string>) => {
    api.addGatewayResponse(id, { type, responseHeaders: { ...corsHeaders, ...headers }, templates });
  };
  add('Unauthorized', ResponseType.UNAUTHORIZED,
    { 'WWW-Authenticate': `'${wwwAuthenticate(dpop, 'invalid_token')}'` },
    json('invalid_token', 'Unauthorized'));
  add('AccessDenied', ResponseType.ACCESS_DENIED,
    { 'WWW-Authenticate': `'${wwwAuthenticate(dpop, 'insufficient_scope')}'` },
    json('insufficient_scope', 'Forbidden'));
  if (cors) {
    add('Default4XX', ResponseType.DEFAULT_4XX, {});
    add('Default5XX', ResponseType.DEFAULT_5XX, {});
  }
}
