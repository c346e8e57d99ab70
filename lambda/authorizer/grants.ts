import type { JWTPayload } from 'jose';
import { Refusal } from './refusal';

/** The claims a token's grants are read from. */
export type GrantClaim = 'scope' | 'scp' | 'permissions';

/** Entries of one grants claim that were not single scope tokens and grant nothing. */
export interface DroppedGrants {
  readonly claim: GrantClaim;
  /** How many; the entries themselves are never kept (a broken issuer might put secrets there). */
  readonly dropped: number;
}

/** A token's grants and what was left out of them. */
export interface Grants {
  readonly granted: Set<string>;
  readonly dropped: DroppedGrants[];
}

/**
 * One RFC 6749 section 3.3 `scope-token`: `1*( %x21 / %x23-5B / %x5D-7E )`, printable ASCII
 * without space, `"` and `\`. Anything else could not travel unambiguously in the
 * space-delimited `scope` the backend reads: `"x write:colors"` would read as `write:colors`.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * A token's grants: the union of `scope` (OAuth 2.0, space-delimited), `scp` (a string or a list,
 * as Azure AD and Okta write it) and `permissions` (Auth0 RBAC, a list). A claim of the wrong type
 * refuses the token rather than being ignored: the issuer and we would disagree about what it grants.
 * Only entries that are single scope tokens count; the others are dropped (and counted, for the log).
 * The empty strings between repeated spaces in a space-delimited claim are not entries.
 * Scopes are compared by exact string equality afterwards.
 */
export function grantsOf(payload: JWTPayload): Grants {
  const granted = new Set<string>();
  const dropped: DroppedGrants[] = [];
  const add = (claim: GrantClaim, values: string[]) => {
    let bad = 0;
    for (const value of values) {
      if (SCOPE_TOKEN.test(value)) granted.add(value);
      else bad += 1;
    }
    if (bad > 0) dropped.push({ claim, dropped: bad });
  };
  const words = (text: string) => text.split(' ').filter((word) => word.length > 0);

  const scope = payload.scope;
  if (scope !== undefined) {
    if (typeof scope !== 'string') throw new Refusal('invalid_claims', '"scope" claim is not a string');
    add('scope', words(scope));
  }
  const scp = payload.scp;
  if (scp !== undefined) {
    if (typeof scp === 'string') add('scp', words(scp));
    else if (isStringArray(scp)) add('scp', scp);
    else throw new Refusal('invalid_claims', '"scp" claim is neither a string nor a list of strings');
  }
  const permissions = payload.permissions;
  if (permissions !== undefined) {
    if (!isStringArray(permissions)) throw new Refusal('invalid_claims', '"permissions" claim is not a list of strings');
    add('permissions', permissions);
  }
  return { granted, dropped };
}

/** The scopes in `required` that `grants` lacks, in their order. */
export function missingScopes(required: readonly string[], grants: ReadonlySet<string>): string[] {
  return required.filter((scope) => !grants.has(scope));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
