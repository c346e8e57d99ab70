import { VerifiedTokenCache } from './cache';
import { grantsOf } from './grants';
import type { KeySetState, RemoteKeySet } from './jwks';
import { logEvent } from './log';
import { Refusal } from './refusal';
import { verifyAccessToken, type VerifiedClaims } from './verify';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** What this instance authorizes with, set up once at cold start. */
export interface Instance {
  readonly config: AuthorizerConfig;
  readonly keys: RemoteKeySet;
  readonly keySet: KeySetState;
  /** Tokens verified recently by this instance: the same token again skips the signature check. */
  readonly verified: VerifiedTokenCache;
}

/** A verified token and the grants it carries. */
export interface Authenticated {
  readonly claims: VerifiedClaims;
  readonly grants: Set<string>;
}

/**
 * Verifies a bearer token and reads its grants, whatever kind of API event it came in. Throws a
 * {@link Refusal} for a token that must get 401. `route` (`METHOD resource`) is only for the log.
 */
export async function authenticate(instance: Instance, token: string, route: string): Promise<Authenticated> {
  const { config, keys, keySet, verified } = instance;
  // A remembered verification counts only under the key set it was made with, while that set is
  // fresh: a key set kept past its cache age because the issuer is down re-verifies every token,
  // and every such request asks the key set, which decides when to try the issuer again.
  const cacheKey = VerifiedTokenCache.keyOf(token);
  const now = Date.now();
  let claims = keys.fresh ? verified.get(cacheKey, now, keySet.uat) : undefined;
  if (claims === undefined) {
    claims = await verifyAccessToken(token, config, keys);
    verified.set(cacheKey, claims, now, keySet.uat);
  }
  let grants;
  try {
    grants = grantsOf(claims);
  } catch (error) {
    throw error instanceof Refusal ? new Refusal(error.reason, error.detail, claims.sub) : error;
  }
  // The entries themselves are not logged: a broken issuer could put anything there.
  for (const { claim, dropped } of grants.dropped) {
    logEvent({ event: 'grants dropped', reason: 'invalid_scope_token', claim, dropped, route, sub: claims.sub });
  }
  return { claims, grants: grants.granted };
}
