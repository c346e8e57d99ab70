/**
 * Login CSRF protection for the stand-in issuer's sign-in form: each page it shows carries a
 * random token bound to the authorization request the form carries, good once and for a while.
 * With the Origin and Sec-Fetch-Site checks (see {@link crossSiteReason}), a page on another
 * origin cannot sign the developer in as a user of its choosing.
 */
import { randomBytes, timingSafeEqual } from 'crypto';

const LIFETIME_MS = 30 * 60_000;
/** Forms not yet submitted that are remembered; the oldest are forgotten first. */
const MAX_PENDING = 1_000;

/** The same request whatever the order of its parameters. */
function fingerprint(request: Record<string, string>): string {
  return JSON.stringify(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class LoginForms {
  private readonly pending = new Map<string, { request: string; expires: number }>();

  /** A token for one sign-in form showing `request`. */
  public issue(request: Record<string, string>): string {
    const token = randomBytes(24).toString('base64url');
    const now = Date.now();
    for (const [key, form] of this.pending) {
      if (form.expires <= now || this.pending.size >= MAX_PENDING) this.pending.delete(key);
    }
    this.pending.set(token, { request: fingerprint(request), expires: now + LIFETIME_MS });
    return token;
  }

  /** Whether `token` was issued for a form showing `request` and is unused and unexpired; it is used up either way. */
  public redeem(token: string | undefined, request: Record<string, string>): boolean {
    if (!token) return false;
    const form = this.pending.get(token);
    this.pending.delete(token);
    if (!form || form.expires <= Date.now()) return false;
    const expected = Buffer.from(form.request);
    const given = Buffer.from(fingerprint(request));
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/**
 * Why a sign-in POST did not come from the issuer's own page (`ownOrigin`), or `undefined`:
 * browsers send `Sec-Fetch-Site` and `Origin` with a form POST; a client that sends neither
 * still needs the form's token.
 */
export function crossSiteReason(headers: { secFetchSite?: string; origin?: string }, ownOrigin: string): string | undefined {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin') return `Sec-Fetch-Site is ${headers.secFetchSite}`;
  if (headers.origin !== undefined && headers.origin !== ownOrigin) return `Origin ${headers.origin} is not ${ownOrigin}`;
  return undefined;
}
