import { createHash } from 'node:crypto';
// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';
import { Refusal } from './refusal';
import { comparableUrl, type RequestTarget } from './request-target';
import type { DpopConfig } from '../../src/authorizer/authorizer-config';

/**
 * Longest DPoP header looked at. A proof is a header with a public key plus a few short claims:
 * under 1 KiB for EC keys, about 1.5 KiB for RSA 4096. Refusing more before decoding bounds the
 * work an anonymous caller can cause.
 */
export const MAX_PROOF_LENGTH = 8 * 1024;

/** Longest `jti` accepted (RFC 9449 recommends 96 bits of randomness; any UUID fits). */
export const MAX_JTI_LENGTH = 256;

/** JWK members that only private (or symmetric) keys have: a proof carrying one is refused. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Longest RSA public exponent accepted in a proof key, in bytes. Verifying costs about as much as
 * the exponent is long, and the proof is checked before the token, for anyone: a 3,040-bit exponent
 * made a request several times as costly. Real keys use 65537 (3 bytes; WebCrypto generates only 3
 * or 65537), so 4 bytes refuses nothing a client sends.
 */
export const MAX_RSA_EXPONENT_BYTES = 4;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A proof that passed every check of its own; binding to the token and replay are checked by the caller. */
export interface CheckedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key, base64url: what `cnf.jkt` must equal. */
  readonly jkt: string;
  readonly jti: string;
  /** When the proof stops being acceptable (ms since the epoch): how long its `jti` must be remembered. */
  readonly acceptableUntil: number;
}

/**
 * Checks one DPoP proof for `target` and the access token it comes with, as RFC 9449 section 4.3
 * lists: a JWS (1) with `typ` `dpop+jwt` (4), an allowed asymmetric `alg` (5), a public `jwk` (4)
 * that verifies the signature (6), `htm` (8), `htu` (9), `iat` within the window (11), a `jti` (2),
 * and `ath`, the hash of the access token (10). Refusals are `invalid_dpop_proof`, with the reason in
 * the detail (never any part of the proof or token).
 */
export async function checkProof(
  proof: string, token: string, target: RequestTarget, dpop: DpopConfig, clockToleranceSeconds: number,
): Promise<CheckedProof> {
  const refuse = (detail: string) => new Refusal('invalid_dpop_proof', detail);
  if (proof.length > MAX_PROOF_LENGTH) throw refuse(`DPoP proof longer than ${MAX_PROOF_LENGTH} characters`);
  const compact = proof.trim();
  if (!COMPACT_JWS.test(compact)) throw refuse('DPoP proof is not a compact JWS');
  const header = protectedHeaderOf(compact);
  if (header === undefined) throw refuse('DPoP proof header is not a JSON object');
  if (header.typ !== 'dpop+jwt') throw refuse('DPoP proof typ is not dpop+jwt');
  if (typeof header.alg !== 'string' || !dpop.algorithms.includes(header.alg)) throw refuse('DPoP proof alg is not an allowed asymmetric algorithm');
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw refuse('DPoP proof header carries no jwk');
  if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(jwk, member))) throw refuse('DPoP proof jwk carries private key material');
  if (hasHugeRsaExponent(jwk as Record<string, unknown>)) throw refuse(`DPoP proof jwk has an RSA public exponent longer than ${MAX_RSA_EXPONENT_BYTES * 8} bits`);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(compact, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: dpop.algorithms,
      maxTokenAge: dpop.proofMaxAgeSeconds,
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['iat', 'jti', 'htm', 'htu'],
    }));
  } catch (error) {
    throw refuse(proofErrorDetail(error));
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH) {
    throw refuse(`DPoP proof jti is not a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (payload.htm !== target.method) throw refuse('DPoP proof htm is not the request method');
  if (target.unbindablePath !== undefined) throw refuse(`DPoP proof cannot be bound to this request: ${target.unbindablePath}`);
  if (target.url === undefined) throw new Refusal('invalid_request', 'the request URL cannot be rebuilt from the event (no domainName or Host, or no path)');
  if (typeof payload.htu !== 'string' || comparableUrl(payload.htu) !== target.url) throw refuse('DPoP proof htu is not the request URL');
  if (payload.ath !== createHash('sha256').update(token).digest('base64url')) throw refuse('DPoP proof ath is not the hash of the access token');

  const jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
  // jose accepts the proof while floor(now in seconds) - iat - tolerance <= max age: until the end of
  // the second in which iat + max age + tolerance falls, not its start. Remembering the jti only to
  // the start would leave up to a second at the end of every window in which replays pass.
  const acceptableUntil = (Math.floor(Number(payload.iat) + dpop.proofMaxAgeSeconds + clockToleranceSeconds) + 1) * 1000;
  return { jkt, jti: payload.jti, acceptableUntil };
}

function hasHugeRsaExponent(jwk: Record<string, unknown>): boolean {
  // base64url: 4 characters per 3 bytes, so more than 6 characters is more than 4 bytes.
  return jwk.kty === 'RSA' && typeof jwk.e === 'string' && jwk.e.length > Math.ceil(MAX_RSA_EXPONENT_BYTES * 4 / 3);
}

function protectedHeaderOf(compact: string): Record<string, unknown> | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(compact.slice(0, compact.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? header as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** Why jose refused the proof, without any part of it. */
function proofErrorDetail(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'DPoP proof signature does not verify with its jwk';
  if (error instanceof errors.JWTClaimValidationFailed) return `DPoP proof ${error.claim} claim check failed (${error.reason})`;
  // jose reports an `iat` older than maxTokenAge as expiry of the `iat` claim.
  if (error instanceof errors.JWTExpired) return `DPoP proof ${error.claim} is too old (iat window)`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'DPoP proof alg is not allowed';
  if (error instanceof errors.JOSEError) return `DPoP proof refused: ${error.code}`;
  // jose refuses RSA keys under 2048 bits and keys of the wrong type with a TypeError; WebCrypto's
  // importKey refuses the rest of what a caller can put in a jwk with a DOMException (DataError for
  // a malformed point or a curve that does not fit the alg, SyntaxError for key_ops without
  // "verify"). The jwk is the caller's, so each is a bad proof, not an internal error for the alarm.
  if (error instanceof TypeError || error instanceof DOMException) return 'DPoP proof jwk is not a usable public key';
  throw error;
}
