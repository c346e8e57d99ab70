import type { JWTPayload } from 'jose';
import { Refusal } from './refusal';

/**
 * A token's grants: the union of `scope` (OAuth 2.0, space-delimited), `scp` (a string or a list,
 * as Azure AD and Okta write it) and `permissions` (Auth0 RBAC, a list). A claim of the wrong type
 * refuses the token rather than being ignored: the issuer and we would disagree about what it grants.
 * Scopes are compared by exact string equality afterwards.
 */
export function grantsOf(payload: JWTPayload): Set<string> {
  const grants = new Set<string>();
  const add = (values: string[]) => values.filter((v) => v.length > 0).forEach((v) => grants.add(v));

  const scope = payload.scope;
  if (scope !== undefined) {
    if (typeof scope !== 'string') throw new Refusal('invalid_claims', '"scope" claim is not a string');
    add(scope.split(' '));
  }
  const scp = payload.scp;
  if (scp !== undefined) {
    if (typeof scp === 'string') add(scp.split(' '));
    else if (isStringArray(scp)) add(scp);
    else throw new Refusal('invalid_claims', '"scp" claim is neither a string nor a list of strings');
  }
  const permissions = payload.permissions;
  if (permissions !== undefined) {
    if (!isStringArray(permissions)) throw new Refusal('invalid_claims', '"permissions" claim is not a list of strings');
    add(permissions);
  }
  return grants;
}

/** The scopes in `required` that `grants` lacks, in their order. */
export function missingScopes(required: readonly string[], grants: ReadonlySet<string>): string[] {
  return required.filter((scope) => !grants.has(scope));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
