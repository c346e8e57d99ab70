import { createHash } from 'node:crypto';

/** What recording a proof found. */
export type ProofRecord = 'fresh' | 'replayed' | 'full';

/**
 * The DPoP proofs this authorizer instance has accepted, by `jti` and key, until the proof would be
 * too old anyway (RFC 9449 section 11.1: a server "can store, in the context of the target URI, the
 * jti value of each DPoP proof for the time window in which the respective DPoP proof JWT would be
 * accepted"). Keyed by a hash, so a caller-chosen `jti` of any length costs the same memory.
 *
 * The guarantee is per instance: API Gateway spreads requests over as many Lambda execution
 * environments as it needs, and they share nothing, so a proof replayed within the window can be
 * accepted once by each other instance. Bounded: when every slot holds a proof still within its
 * window, new proofs are refused ('full') rather than an old one forgotten (fail closed).
 */
export class ProofReplayCache {
  /** Key → expiry (ms since the epoch); a Map iterates in insertion order, so the oldest come first. */
  private readonly entries = new Map<string, number>();

  constructor(private readonly size: number) {}

  /**
   * Records the proof unless it was seen: synchronous, so two concurrent requests with the same
   * proof can never both be told 'fresh'.
   */
  public record(jkt: string, jti: string, expiresAt: number, now: number): ProofRecord {
    const key = createHash('sha256').update(jkt).update('\0').update(jti).digest('base64url');
    const seen = this.entries.get(key);
    if (seen !== undefined && seen > now) return 'replayed';
    this.prune(now);
    if (this.entries.size >= this.size) return 'full';
    this.entries.delete(key);
    this.entries.set(key, expiresAt);
    return 'fresh';
  }

  /**
   * Drops expired entries from the front. Insertion order is only roughly expiry order (a proof's
   * `iat` may lie anywhere in its window), so an expired entry can wait behind a later-expiring one
   * for at most one window: it then only counts toward the size bound, never as a replay (`record`
   * compares each expiry with the clock).
   */
  private prune(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
