import { Cors, CorsOptions, RestApiProps } from 'aws-cdk-lib/aws-apigateway';
import { checkCorsOrigins } from '../authorizer/cors-origins';
import { DpopMode } from '../authorizer/dpop-mode';
import { withDpopHeader } from '../authorizer/dpop-settings';

/** The CORS settings, from `cors` or `restApiProps`, never both; refuses a default authorizer. */
export function resolveCors(cors: CorsOptions | undefined, restApiProps: RestApiProps | undefined): CorsOptions | undefined {
  const fromRestApi = restApiProps?.defaultCorsPreflightOptions;
  if (cors && fromRestApi) {
    throw new Error('restApiProps.defaultCorsPreflightOptions: CORS is set both there and in cors. Set it only in cors, which also puts CORS headers on 401 and 403 responses.');
  }
  const defaults = restApiProps?.defaultMethodOptions;
  if (defaults?.authorizer || defaults?.authorizationType) {
    throw new Error('restApiProps.defaultMethodOptions: sets an authorizer or authorization type, which would also apply to public routes and CORS preflight. Remove it; this construct authorizes each protected route itself.');
  }
  const resolved = cors ?? fromRestApi;
  if (resolved) {
    checkCorsOrigins(cors ? 'cors' : 'restApiProps.defaultCorsPreflightOptions', resolved.allowOrigins, resolved.allowCredentials);
    validateCorsForErrorResponses(resolved);
  }
  return resolved;
}

/**
 * API Gateway's own error responses (401, 403, other 4XX and 5XX) have fixed headers: they cannot
 * pick the caller's origin out of a list. Echoing whatever `Origin` arrives, together with
 * `Access-Control-Allow-Credentials`, would let any site read them with the user's cookies, so
 * several origins with credentials are refused.
 */
export function validateCorsForErrorResponses(cors: CorsOptions): void {
  if (cors.allowCredentials && cors.allowOrigins.length > 1) {
    throw new Error(`cors: allowCredentials with several allowOrigins ${JSON.stringify(cors.allowOrigins)}. API Gateway's own 401, 403 and other error responses `
      + 'cannot choose among origins, and reflecting any Origin with credentials would let every site read them with the user\'s cookies. '
      + 'Allow one origin, or drop allowCredentials: the access token travels in the Authorization header, which needs no credentials mode.');
  }
}

/** With DPoP on, the preflight allows the `DPoP` request header too (the default headers or the listed ones, plus `DPoP`). */
export function withDpopCorsHeader(cors: CorsOptions | undefined, dpop: DpopMode): CorsOptions | undefined {
  if (cors === undefined || dpop === DpopMode.DISABLED) return cors;
  return { ...cors, allowHeaders: withDpopHeader(cors.allowHeaders ?? [...Cors.DEFAULT_HEADERS], dpop) };
}
