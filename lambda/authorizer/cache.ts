import { createHash } from 'node:crypto';
import type { VerifiedClaims } from './verify';

/** Verified tokens remembered per Lambda instance. A few hundred covers a warm instance's working set. */
export const VERIFIED_CACHE_SIZE = 256;

interface Entry {
  readonly claims: VerifiedClaims;
  /** Milliseconds since the epoch after which the entry is never used. */
  readonly until: number;
  /** The key set's fetch time when the token was verified: after a refetch the entry is never used. */
  readonly generation: number | undefined;
}

/**
 * Tokens this instance has verified recently, so the same token seen again (another route when the
 * authorizer decides per route, or a cache TTL of 0) skips the signature check. Bounded (least
 * recently used first out), keyed by the SHA-256 of the token so no token is kept in memory, and
 * an entry never outlives the token's `exp` nor the JWKS cache age. A key the issuer withdraws
 * stops being honoured here no later than jose itself would stop honouring it: an entry counts only
 * while the key set it was verified with is the one in use and fresh. Only verified claims are
 * stored; every refusal is decided afresh.
 */
export class VerifiedTokenCache {
  public static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxAgeMs: number, private readonly size = VERIFIED_CACHE_SIZE) {}

  /** The claims verified earlier for the token with this key, if still usable at `now`. */
  public get(key: string, now: number, generation: number | undefined): VerifiedClaims | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (now >= entry.until || generation === undefined || entry.generation !== generation) return undefined;
    this.entries.set(key, entry);
    return entry.claims;
  }

  /** Remembers verified claims; `exp` is required by verification, so it is a number here. */
  public set(key: string, claims: VerifiedClaims, now: number, generation: number | undefined): void {
    const until = Math.min(Number(claims.exp) * 1000, now + this.maxAgeMs);
    if (!(until > now)) return;
    this.entries.delete(key);
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { claims, until, generation });
  }
}
