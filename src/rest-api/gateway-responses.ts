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

/** One gateway response the construct adds, with its construct ID (IDs are API: they name resources). */
export interface AuthGatewayResponse {
  readonly id: string;
  readonly type: ResponseType;
  readonly headers: Record<string, string>;
  readonly templates?: Record<string, string>;
}

/**
 * 401 and 403 with a JSON body and `WWW-Authenticate` naming the accepted schemes (`Bearer`,
 * RFC 6750; `DPoP` with its proof algorithms, RFC 9449 section 7.1), and CORS headers on every
 * error API Gateway answers by itself when CORS is on.
 */
export function authGatewayResponses(cors: CorsOptions | undefined, dpop: DpopMode = DpopMode.DISABLED): AuthGatewayResponse[] {
  const corsHeaders = cors ? corsErrorHeaders(cors) : {};
  const json = (error: string, message: string) => ({
    'application/json': JSON.stringify({ message, error }),
  });
  const responses: AuthGatewayResponse[] = [
    {
      id: 'Unauthorized',
      type: ResponseType.UNAUTHORIZED,
      headers: { ...corsHeaders, 'WWW-Authenticate': `'${wwwAuthenticate(dpop, 'invalid_token')}'` },
      templates: json('invalid_token', 'Unauthorized'),
    },
    {
      id: 'AccessDenied',
      type: ResponseType.ACCESS_DENIED,
      headers: { ...corsHeaders, 'WWW-Authenticate': `'${wwwAuthenticate(dpop, 'insufficient_scope')}'` },
      templates: json('insufficient_scope', 'Forbidden'),
    },
  ];
  if (cors) {
    responses.push({ id: 'Default4XX', type: ResponseType.DEFAULT_4XX, headers: { ...corsHeaders } });
    responses.push({ id: 'Default5XX', type: ResponseType.DEFAULT_5XX, headers: { ...corsHeaders } });
  }
  return responses;
}

/** Adds {@link authGatewayResponses} to an API this construct created. */
export function addAuthGatewayResponses(api: RestApiBase, cors: CorsOptions | undefined, dpop: DpopMode = DpopMode.DISABLED): void {
  for (const r of authGatewayResponses(cors, dpop)) {
    api.addGatewayResponse(r.id, { type: r.type, responseHeaders: r.headers, templates: r.templates });
  }
}
