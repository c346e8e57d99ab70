// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import type { JSONWebKeySet, LocalJWKSet } from 'jose';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';

/** jose refuses RSA keys shorter than this when verifying (TypeError), so such a key verifies nothing. */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Refuses a freshly fetched key set in which no key could verify a token under the algorithm
 * allow-list: `{"keys":[]}`, `{"keys":[{}]}`, keys only for other algorithms, keys marked for
 * encryption, keys without a `kid` (tokens must name one), keys that do not import, private keys,
 * RSA keys under 2048 bits, a `kid` shared by several keys (refused as ambiguous). Such an answer
 * is a broken issuer, not a rotation: the caller treats it as a failed fetch, so the last good key
 * set stays in use within the stale bound and the failure is logged at ERROR for the alarm.
 *
 * Each key is looked up through `set`, the very resolver tokens are verified with, for each allowed
 * algorithm under its own `kid`: the matching rules are jose's own, not a copy that could drift. The
 * imports this does are cached by `set`, so the first tokens after a refresh do not pay for them.
 */
export async function requireUsableKey(set: LocalJWKSet, jwks: JSONWebKeySet, algorithms: readonly string[]): Promise<void> {
  for (const { kid } of jwks.keys) {
    if (typeof kid !== 'string' || kid.length === 0) continue;
    for (const alg of algorithms) {
      if (await verifiesWith(set, kid, alg)) return;
    }
  }
  throw new errors.JWKSInvalid(`the JSON Web Key Set has no key usable with ${algorithms.join(', ')} (${jwks.keys.length} keys published)`);
}

/** Whether a token with this `kid` and `alg` would find exactly one public key strong enough to verify it. */
async function verifiesWith(set: LocalJWKSet, kid: string, alg: string): Promise<boolean> {
  let key: Awaited<ReturnType<LocalJWKSet>>;
  try {
    key = await set({ alg, kid });
  } catch {
    // No match, several matches (refused as ambiguous, see verify.ts), not importable, or not public.
    return false;
  }
  const { modulusLength } = key.algorithm as { modulusLength?: unknown };
  return !(typeof modulusLength === 'number' && modulusLength < MIN_RSA_MODULUS_BITS);
}
