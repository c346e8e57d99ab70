/**
 * The claims of the tokens the stand-in issuer signs, shaped like Auth0's: `iss` with the trailing
 * slash, `aud` the API's audience (an array with the userinfo URL for an `openid` login, as Auth0
 * does), `azp` the client, `scope` space-delimited, RBAC `permissions`, `gty` for machine-to-machine
 * tokens, and whatever custom (namespaced) claims were asked for.
 */
import type { Claims } from './signing-key';

/** Scopes defined by OpenID Connect; never API permissions. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** Claims no custom-claim request may set: the issuer decides them. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'azp', 'exp', 'iat', 'nbf', 'jti', 'scope', 'permissions', 'gty', 'nonce', 'auth_time', 'cnf']);

export function splitScopes(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))];
}

/**
 * Parses a custom-claims object given as JSON text. Reserved claims are refused by name rather than
 * silently dropped, so nobody believes they set `sub` or `exp` this way.
 */
export function parseCustomClaims(text: string | undefined): Claims {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`claims is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('claims must be a JSON object, e.g. {"https://example.com/roles":["admin"]}');
  const reserved = Object.keys(parsed).filter((k) => RESERVED_CLAIMS.has(k));
  if (reserved.length > 0) throw new Error(`claims may not set ${reserved.join(', ')}: the issuer decides them`);
  return parsed as Claims;
}

export interface AccessTokenInput {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  /** The API's audience; `undefined` for a login without one (the token is then for /userinfo only). */
  readonly audience?: string;
  readonly scopes: string[];
  /** RBAC permissions; omitted from the token when `undefined`. */
  readonly permissions?: string[];
  readonly customClaims: Claims;
  readonly machineToMachine: boolean;
  readonly lifetimeSeconds: number;
  readonly now: number;
}

export function accessTokenClaims(input: AccessTokenInput): Claims {
  const userinfo = `${input.issuer}userinfo`;
  const openid = input.scopes.includes('openid');
  let aud: string | string[];
  if (input.audience === undefined) aud = userinfo;
  else if (openid && !input.machineToMachine) aud = [input.audience, userinfo];
  else aud = input.audience;
  return {
    ...input.customClaims,
    iss: input.issuer,
    sub: input.subject,
    aud,
    iat: input.now,
    exp: input.now + input.lifetimeSeconds,
    azp: input.clientId,
    scope: input.scopes.join(' '),
    ...(input.machineToMachine ? { gty: 'client-credentials' } : {}),
    ...(input.permissions !== undefined ? { permissions: input.permissions } : {}),
  };
}

export interface IdTokenInput {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  readonly username: string;
  readonly nonce?: string;
  readonly authTime: number;
  readonly scopes: string[];
  readonly customClaims: Claims;
  readonly now: number;
}

/** What auth0-spa-js checks: `iss`, `aud` = client id, `nonce`, `exp`, `iat` (and `azp` when `aud` is a list). */
export function idTokenClaims(input: IdTokenInput): Claims {
  return {
    ...input.customClaims,
    ...profileClaims(input.username, input.scopes),
    iss: input.issuer,
    sub: input.subject,
    aud: input.clientId,
    iat: input.now,
    exp: input.now + 36_000,
    auth_time: input.authTime,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
  };
}

/** The profile and email claims of a local user, for the scopes granted (as /userinfo returns them too). */
export function profileClaims(username: string, scopes: string[]): Claims {
  return {
    ...(scopes.includes('profile') ? { name: username, nickname: username, updated_at: new Date(0).toISOString() } : {}),
    ...(scopes.includes('email') ? { email: `${username}@example.com`, email_verified: true } : {}),
  };
}

/** Auth0 user ids look like `auth0|...`; local ones say where they come from. */
export function userSubject(username: string): string {
  return `local|${username}`;
}
