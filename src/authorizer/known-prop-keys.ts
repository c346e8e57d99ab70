import type { AuthAlarmOptions } from './alarms';
import type { Auth0AuthorizerProps } from './auth0-authorizer-props';
import type { KnownKeys } from './unknown-keys';

/*
 * The keys of the shared props and options, for refuseUnknownKeys. `satisfies KnownKeys<...>`
 * makes a prop added to an interface but not here (or listed here but not declared) a compile
 * error: add each new prop to its list. The constructs' own lists spread these.
 */

/** Every key of {@link Auth0AuthorizerProps}: the token props every construct and authorizer shares. */
export const AUTH0_AUTHORIZER_PROP_KEYS = {
  domain: true,
  audience: true,
  issuer: true,
  jwksUri: true,
  requiredScopes: true,
  algorithms: true,
  clockTolerance: true,
  contextClaims: true,
  authorizerMemorySize: true,
  additionalDomains: true,
  additionalAudiences: true,
  organizations: true,
  dpop: true,
} as const satisfies KnownKeys<Auth0AuthorizerProps>;

/** Every key of {@link AuthAlarmOptions}. */
export const AUTH_ALARM_OPTION_KEYS = {
  authorizerErrorThreshold: true,
  serverErrorRatePercent: true,
  latencyP99: true,
  period: true,
} as const satisfies KnownKeys<AuthAlarmOptions>;
