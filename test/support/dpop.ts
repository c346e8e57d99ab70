/**
 * DPoP proofs (RFC 9449) for tests, with node:crypto only: a client key, its RFC 7638 thumbprint
 * computed here independently of jose, and proofs whose every field a test may spoil.
 */
import { createHash, randomUUID } from 'crypto';
import { generateSigningKey, nowSeconds, signJwt, type SigningKey } from './tokens';

/** A client's DPoP key pair. */
export interface DpopKey {
  readonly key: SigningKey;
  /** The public JWK as a proof header carries it: key members only. */
  readonly jwk: Record<string, unknown>;
  /** RFC 7638 SHA-256 thumbprint, base64url: the `cnf.jkt` of tokens bound to this key. */
  readonly jkt: string;
}

/** RFC 7638 section 3.2: the required members only, in lexicographic order, no whitespace. */
const REQUIRED_MEMBERS: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] };

export function thumbprintOf(jwk: Record<string, unknown>): string {
  const members = REQUIRED_MEMBERS[String(jwk.kty)];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function generateDpopKey(alg = 'ES256'): DpopKey {
  const key = generateSigningKey(alg);
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = key.jwk;
  return { key, jwk, jkt: thumbprintOf(jwk) };
}

/** `ath`: base64url SHA-256 of the access token. */
export function athOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface ProofOptions {
  readonly htm: string;
  readonly htu: string;
  /** The access token the proof goes with (for `ath`). */
  readonly token: string;
  /** Header members added or (with `undefined`) removed. */
  readonly header?: Record<string, unknown>;
  /** Claims added or (with `undefined`) removed. */
  readonly claims?: Record<string, unknown>;
  /** Sign with this key instead of the proof key (the header still names the proof key). */
  readonly signWith?: SigningKey;
}

/** A proof by `client` for one request. */
export function dpopProof(client: DpopKey, options: ProofOptions): string {
  const header = dropUndefined({ typ: 'dpop+jwt', alg: client.key.alg, jwk: client.jwk, ...options.header });
  const claims = dropUndefined({
    jti: randomUUID(), htm: options.htm, htu: options.htu, iat: nowSeconds(), ath: athOf(options.token), ...options.claims,
  });
  return signJwt(header, claims, (options.signWith ?? client.key).privateKey);
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
