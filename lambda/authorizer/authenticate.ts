import { VerifiedTokenCache } from './cache';
import { checkProof, type CheckedProof } from './dpop-proof';
import { grantsOf } from './grants';
import type { KeySetState, RemoteKeySet } from './jwks';
import { logEvent } from './log';
import { checkOrganization } from './organization';
import { Refusal } from './refusal';
import type { ProofReplayCache } from './replay-cache';
import type { RequestTarget } from './request-target';
import type { Authorization } from './token';
import { verifyAccessToken, type VerifiedClaims } from './verify';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** What this instance authorizes with, set up once at cold start. */
export interface Instance {
  readonly config: AuthorizerConfig;
  readonly keys: RemoteKeySet;
  readonly keySet: KeySetState;
  /** Tokens verified recently by this instance: the same token again skips the signature check. */
  readonly verified: VerifiedTokenCache;
  /** DPoP proofs this instance accepted, to refuse a replay; present when DPoP is on. */
  readonly replay?: ProofReplayCache;
}

/** What a request presents, read from its event by the REST or HTTP API side. */
export interface Presented {
  readonly authorization: Authorization;
  /** Every `DPoP` header value sent (a proof each). */
  readonly proofs: string[];
  /** The method and URL the client called, for the proof's `htm` and `htu`. */
  readonly target: RequestTarget;
}

/** A verified token and the grants it carries. */
export interface Authenticated {
  readonly claims: VerifiedClaims;
  readonly grants: Set<string>;
}

/**
 * Decides whether a request's credentials are acceptable, whatever kind of API event they came in,
 * and reads the token's grants. Throws a {@link Refusal} for a request that must get 401. `route`
 * (`METHOD resource` or the route key) is only for the log.
 *
 * The checks, in the order they are made (the first that fails decides the reason logged):
 * 1. Authorization: exactly one header, scheme `Bearer` or `DPoP`, a compact JWS of at most 16 KiB
 *    (read by the caller, token.ts).
 * 2. Scheme against the DPoP mode: `DPoP` needs DPoP on and exactly one `DPoP` header; with DPoP
 *    on, `Bearer` is refused in `required` mode and when a `DPoP` header comes with it.
 * 3. The proof, alone (dpop-proof.ts): size, compact JWS, `typ`, `alg`, public `jwk`, signature,
 *    `iat` window, `jti`, `htm`, `htu`, `ath`. Cheap, and needs no key set.
 * 4. The access token (verify.ts): protected header, key by `kid`, signature, `alg`, `iss`, `aud`,
 *    `exp`, `nbf`, `sub`.
 * 5. Binding: a token with `cnf` is never a Bearer token; with a proof, `cnf.jkt` must be the
 *    proof key's thumbprint.
 * 6. Replay: the proof's `jti` must be unused (recorded now, synchronously, so it is only ever
 *    spent by a request that passed every check above).
 * 7. Organization (`org_id`), when configured.
 * 8. Grants; the route decision (403) is the caller's.
 */
export async function authenticate(instance: Instance, presented: Presented, route: string): Promise<Authenticated> {
  const { config } = instance;
  const { scheme, token } = presented.authorization;
  const proofToCheck = schemeChecked(presented, config);
  const proof = proofToCheck === undefined ? undefined
    : await checkProof(proofToCheck, token, presented.target, config.dpop!, config.clockToleranceSeconds);
  const claims = await verifiedClaims(instance, token);
  checkBinding(claims, proof, scheme);
  if (proof !== undefined) {
    const recorded = instance.replay!.record(proof.jkt, proof.jti, proof.acceptableUntil, Date.now());
    if (recorded === 'replayed') throw new Refusal('dpop_proof_replayed', 'DPoP proof jti was already used with this key', claims.sub);
    if (recorded === 'full') throw new Refusal('dpop_replay_memory_full', 'every replay slot holds a proof still within its window; refused rather than forget one', claims.sub);
  }
  checkOrganization(claims, config);

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

/** Check 2: the one proof to check, or `undefined` for an acceptable Bearer request. */
function schemeChecked({ authorization, proofs }: Presented, config: AuthorizerConfig): string | undefined {
  const dpop = config.dpop;
  if (authorization.scheme === 'DPoP') {
    if (dpop === undefined) throw new Refusal('dpop_not_enabled', 'DPoP scheme, but this API accepts Bearer tokens only');
    if (proofs.length === 0) throw new Refusal('invalid_dpop_proof', 'DPoP scheme without a DPoP header');
    if (proofs.length > 1) throw new Refusal('invalid_dpop_proof', 'more than one DPoP header');
    return proofs[0];
  }
  if (dpop?.mode === 'required') throw new Refusal('dpop_required', 'Bearer token, but this API requires DPoP');
  // A proof beside a Bearer token: the client and this API disagree about the scheme, so neither reading is safe.
  if (dpop !== undefined && proofs.length > 0) throw new Refusal('invalid_dpop_proof', 'DPoP header with the Bearer scheme');
  return undefined;
}

/** Check 4, with the instance's memory of recently verified tokens (see VerifiedTokenCache). */
async function verifiedClaims(instance: Instance, token: string): Promise<VerifiedClaims> {
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
  return claims;
}

/**
 * Check 5 (RFC 9449 sections 6 and 7.1): a token bound to a key (`cnf`, of any kind) is useless
 * without proof of that key, so it is never accepted as a Bearer token, whatever the mode; a DPoP
 * token must be bound to exactly the key that signed the proof.
 */
function checkBinding(claims: VerifiedClaims, proof: CheckedProof | undefined, scheme: Authorization['scheme']): void {
  const cnf: unknown = claims.cnf;
  if (proof === undefined) {
    if (cnf !== undefined) throw new Refusal('bound_token_as_bearer', `token bound to a key (cnf) presented with the ${scheme} scheme`, claims.sub);
    return;
  }
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>).jkt : undefined;
  if (typeof jkt !== 'string') throw new Refusal('dpop_binding_mismatch', 'DPoP scheme, but the token is not bound to a key (no cnf.jkt)', claims.sub);
  if (jkt !== proof.jkt) throw new Refusal('dpop_binding_mismatch', 'cnf.jkt is not the thumbprint of the DPoP proof key', claims.sub);
}
