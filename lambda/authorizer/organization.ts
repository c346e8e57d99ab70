import { Refusal } from './refusal';
import type { VerifiedClaims } from './verify';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/**
 * With `organizations` configured, a token must carry one of them as `org_id` (Auth0's guidance for
 * APIs behind Organizations). Refused with 401, like a token for another audience: which
 * organization a token was issued for decides whether this API accepts it at all, the same way on
 * every route, so it is not a matter of scopes (403). A REST authorizer rejecting with
 * `Unauthorized` leaves no policy in API Gateway's cache, so no route can decide otherwise.
 * An `org_id` that is not a string is refused when the list is set (it cannot be compared), and is
 * left out of the context otherwise.
 */
export function checkOrganization(claims: VerifiedClaims, config: AuthorizerConfig): void {
  const allowed = config.organizations;
  if (allowed === undefined) return;
  const orgId = claims.org_id;
  if (typeof orgId !== 'string') {
    throw new Refusal('wrong_organization', orgId === undefined ? 'token carries no org_id' : 'org_id is not a string', claims.sub);
  }
  if (!allowed.includes(orgId)) throw new Refusal('wrong_organization', 'org_id is not one of the configured organizations', claims.sub);
}
