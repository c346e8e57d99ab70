import { VerifiedTokenCache } from './cache';
import type { KeySetState, RemoteKeySet } from './jwks';
import { verifyAccessToken, type VerifiedClaims } from './verify';
import type { AuthorizerConfig } from '../../src/authorizer-config';

/** What a usable Lambda instance holds after cold start: shared by the REST and HTTP API handlers. */
export interface ReadyInstance {
  readonly config: AuthorizerConfig;
  readonly keys: RemoteKeySet;
  readonly keySet: KeySetState;
}

/**
 * The token's verified claims: remembered from an earlier verification by this instance when that
 * one counts (made under the key set in use, while that set is fresh), verified afresh otherwise.
 * Throws a Refusal for a token that does not verify.
 */
export async function verifiedClaims(token: string, ready: ReadyInstance, verified: VerifiedTokenCache): Promise<VerifiedClaims> {
  const cacheKey = VerifiedTokenCache.keyOf(token);
  const now = Date.now();
  let claims = ready.keys.fresh ? verified.get(cacheKey, now, ready.keySet.uat) : undefined;
  if (claims === undefined) {
    claims = await verifyAccessToken(token, ready.config, ready.keys);
    verified.set(cacheKey, claims, now, ready.keySet.uat);
  }
  return claims;
}
