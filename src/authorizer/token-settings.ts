import { Annotations, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Auth0AuthorizerProps } from './auth0-authorizer-props';
import { AUTHORIZER_CONFIG_VERSION, AuthorizerConfig } from './authorizer-config';
import { JWKS_SETTINGS } from './authorizer-function';
import { DpopMode } from './dpop-mode';
import { dpopCacheTtl, dpopConfigOf, validateDpopMode } from './dpop-settings';
import { IssuerSettings, resolveIssuer } from './issuer';
import {
  requireLiteral, validateAdditionalAudiences, validateAlgorithms, validateAudience, validateCacheTtl, validateClockTolerance,
  validateContextClaims, validateOrganizations, validateScopes,
} from './prop-validation';

/** The {@link Auth0AuthorizerProps} that decide which tokens pass, checked and with their defaults. */
export interface TokenSettings {
  readonly issuer: IssuerSettings;
  readonly audience: string;
  readonly additionalAudiences: string[];
  /** `undefined`: no organization check. */
  readonly organizations?: string[];
  readonly dpop: DpopMode;
  readonly requiredScopes: string[];
  readonly cacheTtl: Duration;
  readonly algorithms: string[];
  readonly clockTolerance: Duration;
  readonly contextClaims: Record<string, string>;
}

/**
 * Checks the token props the same way for both constructs (one implementation of each rule, one
 * message) and applies the defaults; warns on `scope` about a disabled result cache that was
 * asked for (DPoP turns it off by necessity, without a warning).
 */
export function resolveTokenSettings(scope: Construct, props: Auth0AuthorizerProps & { readonly authorizerCacheTtl?: Duration }): TokenSettings {
  requireLiteral('domain', props.domain);
  requireLiteral('issuer', props.issuer);
  requireLiteral('jwksUri', props.jwksUri);
  const dpop = validateDpopMode(props.dpop);
  const audience = validateAudience(props.audience);
  const settings: TokenSettings = {
    issuer: resolveIssuer(props),
    audience,
    additionalAudiences: validateAdditionalAudiences(props.additionalAudiences, audience),
    organizations: validateOrganizations(props.organizations),
    dpop,
    requiredScopes: validateScopes('requiredScopes', props.requiredScopes ?? []),
    cacheTtl: validateCacheTtl(dpopCacheTtl(dpop, props.authorizerCacheTtl) ?? Duration.minutes(5)),
    algorithms: validateAlgorithms(props.algorithms ?? ['RS256']),
    clockTolerance: validateClockTolerance(props.clockTolerance ?? Duration.seconds(5)),
    contextClaims: validateContextClaims(props.contextClaims ?? {}),
  };
  if (dpop === DpopMode.DISABLED && settings.cacheTtl.toSeconds() === 0) {
    Annotations.of(scope).addWarningV2('cdk-auth0-protected-api:cacheDisabled',
      'authorizerCacheTtl is 0: every request invokes the authorizer Lambda. Keep a TTL of a few minutes unless you need instant revocation.');
  }
  return settings;
}

/**
 * The authorizer's configuration: `settings` plus what one kind of API decides about its routes.
 * The one place token settings become configuration, for every construct and authorizer.
 */
export function authorizerConfigOf(
  settings: TokenSettings,
  routes: Pick<AuthorizerConfig, 'policyScope' | 'routes' | 'httpRoutes'>,
): AuthorizerConfig {
  return {
    version: AUTHORIZER_CONFIG_VERSION,
    issuer: settings.issuer.issuer,
    additionalIssuers: settings.issuer.additionalIssuers,
    audience: settings.audience,
    additionalAudiences: settings.additionalAudiences,
    organizations: settings.organizations,
    dpop: dpopConfigOf(settings.dpop),
    jwksUri: settings.issuer.jwksUri,
    algorithms: settings.algorithms,
    clockToleranceSeconds: settings.clockTolerance.toSeconds(),
    contextClaims: settings.contextClaims,
    ...routes,
    ...JWKS_SETTINGS,
  };
}
