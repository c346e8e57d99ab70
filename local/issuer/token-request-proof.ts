/**
 * DPoP at the stand-in issuer's token endpoint, as Auth0 does it: a token request that carries a
 * valid `DPoP` proof gets an access token bound to the proof's key (`cnf.jkt`, RFC 9449 section 6)
 * and `token_type: DPoP`; one without a proof gets a Bearer token. node:crypto only: the command
 * ships without jose. The checks are RFC 9449 section 4.3's for a token request (no `ath`).
 */
import { createHash, createPublicKey, verify, type JsonWebKey } from 'crypto';

/** What the proof's `alg` means to node:crypto. */
const ALGORITHMS: Record<string, { hash: string | undefined; options?: { dsaEncoding?: 'ieee-p1363'; padding?: number; saltLength?: number } }> = {
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  RS256: { hash: 'sha256' },
  PS256: { hash: 'sha256', options: { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } },
  EdDSA: { hash: undefined },
};

/** RFC 7638 section 3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] };

/** A proof older than this (or this far ahead) is refused. */
const MAX_SKEW_SECONDS = 60;

/**
 * The thumbprint of the key that signed a valid proof for `POST {tokenEndpoint}`, `undefined` when
 * the request has no `DPoP` header, or a reason to refuse the request (`invalid_dpop_proof`).
 */
export function tokenRequestProof(
  values: string | string[] | undefined, tokenEndpoint: string, now: number,
): { jkt: string } | { problem: string } | undefined {
  if (values === undefined) return undefined;
  if (Array.isArray(values) && values.length !== 1) return { problem: 'exactly one DPoP header is allowed' };
  const proof = Array.isArray(values) ? values[0] : values;
  const parts = proof.split('.');
  if (proof.length > 8192 || parts.length !== 3) return { problem: 'the DPoP proof is not a compact JWS' };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { problem: 'the DPoP proof is not JSON' };
  }
  const algorithm = typeof header.alg === 'string' && Object.hasOwn(ALGORITHMS, header.alg) ? ALGORITHMS[header.alg] : undefined;
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (header.typ !== 'dpop+jwt') return { problem: 'typ must be dpop+jwt' };
  if (algorithm === undefined) return { problem: `alg must be one of ${Object.keys(ALGORITHMS).join(', ')}` };
  if (typeof jwk !== 'object' || jwk === null || ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => Object.hasOwn(jwk, m))) return { problem: 'jwk must be a public key' };
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (members === undefined || members.some((m) => typeof jwk[m] !== 'string')) return { problem: 'jwk is not an EC, RSA or OKP public key' };
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (!verify(algorithm.hash, Buffer.from(`${parts[0]}.${parts[1]}`), { key, ...algorithm.options }, Buffer.from(parts[2], 'base64url'))) {
      return { problem: 'the DPoP proof signature does not verify' };
    }
  } catch {
    return { problem: 'the DPoP proof signature does not verify' };
  }
  if (claims.htm !== 'POST' || typeof claims.htu !== 'string' || claims.htu.split(/[?#]/)[0] !== tokenEndpoint) return { problem: `htm and htu must be POST ${tokenEndpoint}` };
  if (typeof claims.jti !== 'string' || claims.jti.length === 0) return { problem: 'jti is required' };
  if (typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > MAX_SKEW_SECONDS) return { problem: `iat must be within ${MAX_SKEW_SECONDS} s of now` };
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return { jkt: createHash('sha256').update(canonical).digest('base64url') };
}
