import { Duration } from 'aws-cdk-lib';
import { DpopConfig, SUPPORTED_ALGORITHMS } from './authorizer-config';
import { DpopMode } from './dpop-mode';
import { describeValue } from './prop-validation';

/**
 * What the construct decides about DPoP (RFC 9449) beyond the mode: the same for REST and HTTP APIs.
 *
 * - Proof algorithms: every asymmetric algorithm the authorizer supports for tokens (never `none`
 *   or HMAC, RFC 9449 section 4.3 check 5). Auth0's SDKs sign proofs with ES256.
 * - A proof's `iat` may be at most 60 seconds old (plus the clock tolerance either way). API
 *   Gateway cannot pass a server nonce (`DPoP-Nonce`) back to the client from an authorizer, so
 *   freshness rests on `iat` alone (RFC 9449 section 11.1); a short window keeps the time a proof
 *   captured in transit could be replayed on another authorizer instance short.
 * - Replay (`jti`): each authorizer instance (one Lambda execution environment) remembers the
 *   proofs it accepted for that window, up to 100,000 of them; beyond that it refuses new proofs
 *   rather than forget one (fail closed). Instances do not share this memory.
 */
export const DPOP_PROOF_MAX_AGE_SECONDS = 60;
export const DPOP_REPLAY_CACHE_SIZE = 100_000;
export const DPOP_PROOF_ALGORITHMS: readonly string[] = SUPPORTED_ALGORITHMS;

/** The `DPoP` request header browsers must be allowed to send (CORS). */
export const DPOP_HEADER = 'DPoP';

/** The mode as given, checked (JavaScript and jsii callers can pass anything). */
export function validateDpopMode(mode: unknown): DpopMode {
  if (mode === undefined) return DpopMode.DISABLED;
  if (!(Object.values(DpopMode) as unknown[]).includes(mode)) {
    throw new Error(`dpop: ${describeValue(mode)} is not a DpopMode. Use DpopMode.DISABLED, DpopMode.ALLOWED or DpopMode.REQUIRED.`);
  }
  return mode as DpopMode;
}

/**
 * The authorizer result cache TTL under DPoP. A cached decision would stand in for the proof of a
 * later request (replayed, missing, or for another method or URL), so DPoP needs every request to
 * reach the authorizer: the TTL is 0, and a TTL that says otherwise is refused rather than ignored.
 */
export function dpopCacheTtl(mode: DpopMode, requested: Duration | undefined): Duration | undefined {
  if (mode === DpopMode.DISABLED) return requested;
  if (requested !== undefined && (requested.isUnresolved() || requested.toSeconds() !== 0)) {
    throw new Error(`authorizerCacheTtl: ${requested.isUnresolved() ? 'a token' : requested.toHumanString()} with dpop ${mode}. Every request's DPoP proof must be checked, so API Gateway may not cache decisions. Leave authorizerCacheTtl unset (or Duration.seconds(0)), or turn DPoP off.`);
  }
  return Duration.seconds(0);
}

/** The configuration's `dpop` field: `undefined` when DPoP is off. */
export function dpopConfigOf(mode: DpopMode): DpopConfig | undefined {
  if (mode === DpopMode.DISABLED) return undefined;
  return {
    mode: mode === DpopMode.REQUIRED ? 'required' : 'allowed',
    algorithms: [...DPOP_PROOF_ALGORITHMS],
    proofMaxAgeSeconds: DPOP_PROOF_MAX_AGE_SECONDS,
    replayCacheSize: DPOP_REPLAY_CACHE_SIZE,
  };
}

/**
 * CORS allowed request headers with `DPoP` added when DPoP is on: without it a browser's preflight
 * for a DPoP request fails. Headers the user listed are kept; `DPoP` is added, not substituted,
 * also beside `*`, which the Fetch standard's CORS protocol counts as a wildcard only for requests
 * without credentials (https://fetch.spec.whatwg.org/#http-new-header-syntax): with
 * `allowCredentials` a browser reads it as a header named `*`.
 */
export function withDpopHeader(headers: string[], mode: DpopMode): string[] {
  if (mode === DpopMode.DISABLED || headers.some((h) => h.toLowerCase() === 'dpop')) return headers;
  return [...headers, DPOP_HEADER];
}

/**
 * The `WWW-Authenticate` challenges of a 401 or 403 (RFC 6750 section 3, RFC 9449 section 7.1):
 * `Bearer` while Bearer tokens are accepted, `DPoP` with the accepted proof `algs` when DPoP is on.
 * A static gateway response cannot tell which check failed, so the error code is the general one
 * (`invalid_token`, or `insufficient_scope` on 403); RFC 9449's `invalid_dpop_proof` and
 * `use_dpop_nonce` would need the reason per request, which API Gateway does not pass to it.
 */
export function wwwAuthenticate(mode: DpopMode, error: 'invalid_token' | 'insufficient_scope'): string {
  const challenges: string[] = [];
  if (mode !== DpopMode.REQUIRED) challenges.push(`Bearer error="${error}"`);
  if (mode !== DpopMode.DISABLED) challenges.push(`DPoP error="${error}", algs="${DPOP_PROOF_ALGORITHMS.join(' ')}"`);
  return challenges.join(', ');
}

/**
 * A handed-over API's CORS configuration stays its owner's, so the construct cannot add `DPoP` to
 * it. With DPoP on, a browser's preflight for a DPoP request would then fail: refuse it, naming the fix.
 */
export function requireDpopInOwnerCors(
  prop: string, allowHeaders: readonly string[] | undefined, allowCredentials: boolean | undefined, mode: DpopMode,
): void {
  if (mode === DpopMode.DISABLED || allowHeaders === undefined) return;
  // With credentials, browsers read `*` as a header named `*` (Fetch standard, CORS-preflight fetch).
  if (allowHeaders.some((h) => (h === '*' && !allowCredentials) || h.toLowerCase() === 'dpop')) return;
  throw new Error(`${prop}: your API's CORS allowHeaders ${JSON.stringify(allowHeaders)} do not include "${DPOP_HEADER}", which browsers must send with dpop ${mode}. `
    + `Add "${DPOP_HEADER}" to allowHeaders, or turn DPoP off.`);
}
