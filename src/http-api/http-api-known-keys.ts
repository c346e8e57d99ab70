import type { Auth0HttpAuthorizerProps } from './auth0-http-authorizer';
import type { AddHttpRouteOptions, Auth0ProtectedHttpApiProps } from './auth0-protected-http-api-props';
import { AUTH0_AUTHORIZER_PROP_KEYS } from '../authorizer/known-prop-keys';
import type { KnownKeys } from '../authorizer/unknown-keys';

/*
 * The HTTP API construct's keys, for refuseUnknownKeys: a prop added to an interface but not here
 * is a compile error (see known-prop-keys.ts).
 */

/** Every key of {@link Auth0ProtectedHttpApiProps}. */
export const AUTH0_PROTECTED_HTTP_API_PROP_KEYS = {
  ...AUTH0_AUTHORIZER_PROP_KEYS,
  publicRoutes: true,
  cors: true,
  authorizerCacheTtl: true,
  throttle: true,
  accessLogGroup: true,
  httpApiProps: true,
  httpApi: true,
} as const satisfies KnownKeys<Auth0ProtectedHttpApiProps>;

/** Every key of {@link AddHttpRouteOptions}. */
export const ADD_HTTP_ROUTE_OPTION_KEYS = {
  scopes: true,
  throttle: true,
} as const satisfies KnownKeys<AddHttpRouteOptions>;

/** Every key of {@link Auth0HttpAuthorizerProps}. */
export const AUTH0_HTTP_AUTHORIZER_PROP_KEYS = {
  ...AUTH0_AUTHORIZER_PROP_KEYS,
  authorizerCacheTtl: true,
} as const satisfies KnownKeys<Auth0HttpAuthorizerProps>;
