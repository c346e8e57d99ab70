/**
 * The stand-in issuer's signing key: a fresh RSA key pair per run, published as a JWKS with a `kid`,
 * and RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) signatures made with node:crypto, as Auth0
 * signs by default. Nothing here is a dependency: the command ships without jose.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'crypto';

export type Claims = Record<string, unknown>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class SigningKey {
  /** A new 2048-bit RSA key; its `kid` is random, so tokens from an earlier run never verify. */
  public static generate(): SigningKey {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new SigningKey(privateKey, `local-${randomBytes(6).toString('hex')}`);
  }

  private readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject, public readonly kid: string) {
    this.publicKey = createPublicKey(privateKey);
  }

  /** `{ keys: [...] }` as served at `/.well-known/jwks.json`. */
  public jwks(): { keys: Record<string, unknown>[] } {
    const { n, e, kty } = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty, n, e, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** A compact JWS: header `{alg: RS256, typ: JWT, kid}`. */
  public sign(claims: Claims): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The claims of a token this key signed, or `undefined` for anything else (`/userinfo` uses it). */
  public verify(token: string, nowSeconds: number): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Claims;
      if (header.alg !== 'RS256' || header.kid !== this.kid) return undefined;
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
      if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}
