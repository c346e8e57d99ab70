import type { AddRouteOptions, Auth0ProtectedApiProps } from './auth0-protected-api-props';
import type { Auth0RestAuthorizerProps } from './auth0-rest-authorizer';
import { AUTH0_AUTHORIZER_PROP_KEYS } from '../authorizer/known-prop-keys';
import type { KnownKeys } from '../authorizer/unknown-keys';

/*
 * The REST construct's keys, for refuseUnknownKeys: a prop added to an interface but not here is
 * a compile error (see known-prop-keys.ts).
 */

/** Every key of {@link Auth0ProtectedApiProps}. */
export const AUTH0_PROTECTED_API_PROP_KEYS = {
  ...AUTH0_AUTHORIZER_PROP_KEYS,
  publicRoutes: true,
  cors: true,
  authorizerCacheTtl: true,
  throttle: true,
  accessLogGroup: true,
  tracing: true,
  restApiProps: true,
  restApi: true,
} as const satisfies KnownKeys<Auth0ProtectedApiProps>;

/** Every key of {@link AddRouteOptions}. */
export const ADD_ROUTE_OPTION_KEYS = {
  scopes: true,
  methodOptions: true,
  throttle: true,
} as const satisfies KnownKeys<AddRouteOptions>;

/** Every key of {@link Auth0RestAuthorizerProps}. */
export const AUTH0_REST_AUTHORIZER_PROP_KEYS = {
  ...AUTH0_AUTHORIZER_PROP_KEYS,
  authorizerCacheTtl: true,
  gatewayResponses: true,
} as const satisfies KnownKeys<Auth0RestAuthorizerProps>;
