// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
// The error classes one by one (not jose's `errors` namespace object), so the bundle keeps only those used.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';
import type { RemoteKeySet } from './jwks';
import { describeError } from './log';
import { checkNumericDates } from './numeric-dates';
import { Refusal, type RefusalReason } from './refusal';
import { checkProtectedHeader } from './token';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** A verified token's claims; `sub` is known to be a non-empty string. */
export type VerifiedClaims = JWTPayload & { sub: string };

/**
 * Verifies a compact JWS access token: signature by the issuer's key named by `kid`, algorithm
 * from the allow-list, `iss` exactly (one of the tenant's domains), `aud` equal to or containing the audience or an additional one, `exp` required, `nbf` honoured,
 * `sub` required. Every failure becomes a {@link Refusal} naming why.
 */
export async function verifyAccessToken(token: string, config: AuthorizerConfig, keys: RemoteKeySet): Promise<VerifiedClaims> {
  checkProtectedHeader(token);
  let payload: JWTPayload;
  try {
    const { getKey, options } = preparedFor(config, keys);
    ({ payload } = await jwtVerify(token, getKey, options));
  } catch (error) {
    throw refusalFor(error);
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
    throw new Refusal('invalid_claims', '"sub" claim is not a non-empty string');
  }
  checkNumericDates(payload, payload.sub);
  return payload as VerifiedClaims;
}

/** jwtVerify's key resolver and options for one configuration and key set (one per instance). */
interface Prepared {
  readonly config: AuthorizerConfig;
  readonly keys: RemoteKeySet;
  readonly getKey: JWTVerifyGetKey;
  readonly options: JWTVerifyOptions;
}
let prepared: Prepared | undefined;

/** Built on first use and reused, so the hot path allocates neither a closure nor an options object per call. */
function preparedFor(config: AuthorizerConfig, keys: RemoteKeySet): Prepared {
  if (prepared?.config !== config || prepared.keys !== keys) {
    prepared = {
      config,
      keys,
      getKey: keyFrom(keys),
      // jose only reads these options; the configuration is never changed after loading.
      options: {
        // Any domain of the tenant, and any of its audiences: jose compares each exactly.
        issuer: [config.issuer, ...config.additionalIssuers ?? []],
        audience: [config.audience, ...config.additionalAudiences ?? []],
        algorithms: config.algorithms,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      },
    };
  }
  return prepared;
}

/**
 * The key resolver handed to jose. Keys come only from the issuer's JWKS; anything that goes
 * wrong fetching it (down, slow, not 200, too large, not a key set) is told apart from a token
 * whose `kid` the issuer does not publish.
 */
function keyFrom(keys: RemoteKeySet): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw new Refusal('unknown_kid', 'no key in the JWKS matches the token kid and alg');
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw new Refusal('unknown_kid', 'several keys in the JWKS match the token kid');
      throw new Refusal('jwks_unavailable', describeError(error));
    }
  };
}

/** Maps what jose throws to why the request is refused; anything unexpected stays unexpected. */
function refusalFor(error: unknown): unknown {
  if (error instanceof Refusal) return error;
  if (error instanceof errors.JWTExpired) return new Refusal('expired', error.message, verifiedSub(error.payload));
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason: RefusalReason = error.claim === 'nbf' && error.reason === 'check_failed' ? 'not_yet_valid'
      : error.claim === 'iss' && error.reason === 'check_failed' ? 'wrong_issuer'
        : error.claim === 'aud' && error.reason === 'check_failed' ? 'wrong_audience'
          : 'invalid_claims';
    return new Refusal(reason, error.message, verifiedSub(error.payload));
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new Refusal('disallowed_algorithm', error.message);
  // jose refuses RSA keys under 2048 bits with a TypeError; anything else of that type stays unexpected.
  if (error instanceof TypeError && /modulusLength/.test(error.message)) return new Refusal('weak_key', error.message);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new Refusal('bad_signature', error.message);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new Refusal('malformed_token', error.message);
  }
  return error;
}

/** jose attaches the claims to claim errors only after the signature checked out, so `sub` is trustworthy. */
function verifiedSub(payload: JWTPayload): string | undefined {
  return typeof payload.sub === 'string' ? payload.sub : undefined;
}
