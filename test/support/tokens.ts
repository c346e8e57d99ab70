/**
 * Real keys and real signatures for authorizer tests, with node:crypto only (jest runs CommonJS,
 * and jose 6 is ESM-only). Any JWS algorithm the authorizer may accept can be produced, plus the
 * hostile ones (`none`, HMAC) it must refuse.
 */
import { createHmac, generateKeyPairSync, KeyObject, sign as cryptoSign, randomUUID, type JsonWebKey } from 'crypto';

/** A JWK as it appears in a JWKS. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg?: string;
  use?: string;
}

export interface Jwks {
  keys: PublicJwk[];
}

/** A signing key: the private half for tests, the public half for the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as a JWK with `kid`, `alg` and `use: sig`. */
  readonly jwk: PublicJwk;
}

/** Generates a key pair for `alg` (default RS256, RSA 2048; `rsaBits` for another RSA modulus length). */
export function generateSigningKey(alg = 'RS256', kid: string = `test-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`, rsaBits = 2048): SigningKey {
  const { privateKey, publicKey } = keyPairFor(alg, rsaBits);
  const jwk: PublicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

function keyPairFor(alg: string, rsaBits: number): { privateKey: KeyObject; publicKey: KeyObject } {
  if (/^(RS|PS)\d{3}$/.test(alg)) return generateKeyPairSync('rsa', { modulusLength: rsaBits });
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (alg === 'ES384') return generateKeyPairSync('ec', { namedCurve: 'P-384' });
  if (alg === 'ES512') return generateKeyPairSync('ec', { namedCurve: 'P-521' });
  if (alg === 'EdDSA' || alg === 'Ed25519') return generateKeyPairSync('ed25519');
  throw new Error(`no key pair for ${alg}`);
}

/** A JWKS holding the public halves of `keys`. */
export function jwksOf(...keys: SigningKey[]): Jwks {
  return { keys: keys.map((k) => ({ ...k.jwk })) };
}

export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Signs `payload` as a compact JWS with the algorithm in `header.alg`: RS*, PS*, ES* (raw r||s as
 * JWS requires), EdDSA with a KeyObject; HS* with a Buffer secret; `none` with no key (empty signature).
 * The header is used as given, so tests can add `kid`, `jwk`, `jku`, `crit` and so on.
 */
export function signJwt(header: Record<string, unknown>, payload: unknown, privateKey?: KeyObject | Buffer): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  const alg = String(header.alg);
  return `${signingInput}.${signature(alg, signingInput, privateKey).toString('base64url')}`;
}

function signature(alg: string, input: string, key: KeyObject | Buffer | undefined): Buffer {
  if (alg === 'none') return Buffer.alloc(0);
  const bits = alg.slice(2);
  if (alg.startsWith('HS')) {
    if (!Buffer.isBuffer(key)) throw new Error('HS* needs a Buffer secret');
    return createHmac(`sha${bits}`, key).update(input).digest();
  }
  if (!(key instanceof KeyObject)) throw new Error(`${alg} needs a private KeyObject`);
  const data = Buffer.from(input);
  if (alg.startsWith('RS')) return cryptoSign(`sha${bits}`, data, key);
  if (alg.startsWith('PS')) {
    return cryptoSign(`sha${bits}`, data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(bits) / 8 });
  }
  if (alg.startsWith('ES')) return cryptoSign(`sha${bits}`, data, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'EdDSA') return cryptoSign(undefined, data, key);
  throw new Error(`cannot sign ${alg}`);
}

/** Seconds since the epoch, as JWT claims count time. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of an access token; `undefined` removes a default claim. */
export type Claims = Record<string, unknown>;

export interface AccessTokenOptions {
  /** Signing key; default the minter's key. */
  readonly key?: SigningKey;
  /** Header fields added to (or, with `undefined`, removed from) `{ alg, typ: 'at+jwt', kid }`. */
  readonly header?: Record<string, unknown>;
}

/**
 * Mints Auth0-like access tokens for one issuer and audience:
 * `minter.accessToken({ scope: 'read:colors' })` is valid for five minutes, with `sub`, `iat`, `exp`.
 */
export class TokenMinter {
  constructor(
    public readonly issuer: string,
    public readonly audience: string,
    public readonly key: SigningKey = generateSigningKey(),
  ) {}

  /** The default claims merged with `claims`; a claim set to `undefined` is left out. */
  public claims(claims: Claims = {}): Claims {
    const now = nowSeconds();
    const merged: Claims = {
      iss: this.issuer,
      aud: this.audience,
      sub: 'auth0|user-1',
      iat: now,
      exp: now + 300,
      ...claims,
    };
    return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  }

  public accessToken(claims: Claims = {}, options: AccessTokenOptions = {}): string {
    const key = options.key ?? this.key;
    const header = Object.fromEntries(Object.entries({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...options.header })
      .filter(([, v]) => v !== undefined));
    return signJwt(header, this.claims(claims), key.privateKey);
  }
}
