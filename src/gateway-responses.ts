import { CorsOptions, ResponseType, RestApiBase } from 'aws-cdk-lib/aws-apigateway';

/**
 * Headers a browser needs to read an error API Gateway produced itself. Without them a 401 from
 * the authorizer reaches the page as an opaque CORS failure, and the app cannot tell
 * "log in again" from "network down".
 */
export function corsErrorHeaders(cors: CorsOptions): Record<string, string> {
  const origins = cors.allowOrigins;
  const headers: Record<string, string> = {
    // Lets scripts read why they were refused (RFC 6750 error codes).
    'Access-Control-Expose-Headers': "'WWW-Authenticate'",
  };
  if (origins.length === 1) {
    headers['Access-Control-Allow-Origin'] = `'${origins[0]}'`;
    if (origins[0] !== '*') headers.Vary = "'Origin'";
  } else {
    // Several allowed origins: a gateway response cannot choose among them, so it echoes the
    // caller's Origin. Error bodies carry only a fixed message, so this reveals nothing.
    headers['Access-Control-Allow-Origin'] = 'method.request.header.Origin';
    headers.Vary = "'Origin'";
  }
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
  return headers;
}

/**
 * 401 and 403 with a JSON body and `WWW-Authenticate: Bearer` (RFC 6750), and CORS headers on
 * every error API Gateway answers by itself when CORS is on.
 */
export function addAuthGatewayResponses(api: RestApiBase, cors: CorsOptions | undefined): void {
  const corsHeaders = cors ? corsErrorHeaders(cors) : {};
  const json = (error: string, message: string) => ({
    'application/json': JSON.stringify({ message, error }),
  });
  const add = (id: string, type: ResponseType, headers: Record<string, string>, templates?: Record<string, string>) => {
    api.addGatewayResponse(id, { type, responseHeaders: { ...corsHeaders, ...headers }, templates });
  };
  add('Unauthorized', ResponseType.UNAUTHORIZED,
    { 'WWW-Authenticate': '\'Bearer error="invalid_token"\'' },
    json('invalid_token', 'Unauthorized'));
  add('AccessDenied', ResponseType.ACCESS_DENIED,
    { 'WWW-Authenticate': '\'Bearer error="insufficient_scope"\'' },
    json('insufficient_scope', 'Forbidden'));
  if (cors) {
    add('Default4XX', ResponseType.DEFAULT_4XX, {});
    add('Default5XX', ResponseType.DEFAULT_5XX, {});
  }
}
