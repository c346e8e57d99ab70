// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { createLocalJWKSet, type JSONWebKeySet, type JWK, type LocalJWKSet } from 'jose';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';

/** jose refuses RSA keys shorter than this when verifying (TypeError), so such a key verifies nothing. */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * How many keys with a `kid` are tried before the set is judged to have no usable key. Issuers
 * publish a handful (Auth0: the current key and the next or previous one); the bound keeps a huge
 * broken or hostile key set (1 MiB is tens of thousands of keys) from costing more than a moment.
 */
export const MAX_KEYS_EXAMINED = 64;

/**
 * Refuses a freshly fetched key set in which no key could verify a token under the algorithm
 * allow-list: `{"keys":[]}`, `{"keys":[{}]}`, keys only for other algorithms, keys marked for
 * encryption, keys without a `kid` (tokens must name one), keys that do not import, private keys,
 * RSA keys under 2048 bits, a `kid` shared by several keys (refused as ambiguous, see verify.ts).
 * Such an answer is a broken issuer, not a rotation: the caller treats it as a failed fetch, so the
 * last good key set stays in use within the stale bound and the failure is logged at ERROR for the
 * alarm. A set with one usable key among others is accepted.
 *
 * Each candidate is looked up, for each allowed algorithm under its own `kid`, in a key set of its
 * own built by jose: the matching and import rules are jose's, not a copy that could drift. One
 * key per lookup (rather than lookups in the whole set, each of which scans every key) keeps the
 * work linear in the size of the set.
 */
export async function requireUsableKey(jwks: JSONWebKeySet, algorithms: readonly string[]): Promise<void> {
  const perKid = new Map<string, number>();
  for (const { kid } of jwks.keys) {
    if (typeof kid === 'string' && kid.length > 0) perKid.set(kid, (perKid.get(kid) ?? 0) + 1);
  }
  let examined = 0;
  for (const jwk of jwks.keys) {
    const { kid } = jwk;
    if (typeof kid !== 'string' || perKid.get(kid) !== 1) continue;
    if (++examined > MAX_KEYS_EXAMINED) break;
    for (const alg of algorithms) {
      if (await verifiesWith(jwk, kid, alg)) return;
    }
  }
  throw new errors.JWKSInvalid(`the JSON Web Key Set has no key usable with ${algorithms.join(', ')} `
    + `(${jwks.keys.length} keys published, ${Math.min(examined, MAX_KEYS_EXAMINED)} with a kid of their own examined)`);
}

/** Whether a token with this `kid` and `alg` would be verified with `jwk`: a public key, strong enough. */
async function verifiesWith(jwk: JWK, kid: string, alg: string): Promise<boolean> {
  let key: Awaited<ReturnType<LocalJWKSet>>;
  try {
    key = await createLocalJWKSet({ keys: [jwk] })({ alg, kid });
  } catch {
    // Not for this algorithm or for signatures, not importable, or not public.
    return false;
  }
  const { modulusLength } = key.algorithm as { modulusLength?: unknown };
  return !(typeof modulusLength === 'number' && modulusLength < MIN_RSA_MODULUS_BITS);
}
