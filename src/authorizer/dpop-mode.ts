/**
 * Whether the authorizer accepts DPoP sender-constrained access tokens (RFC 9449): tokens bound to
 * a key the client holds (`cnf.jkt`), presented as `Authorization: DPoP <token>` together with a
 * `DPoP` proof header signed by that key for this very request.
 *
 * Whatever the mode, a token bound to a key is never accepted as a Bearer token.
 */
export enum DpopMode {
  /** Bearer tokens only; a DPoP-bound token, or the `DPoP` scheme, is refused (401). */
  DISABLED = 'DISABLED',
  /** Bearer tokens without `cnf`, and DPoP-bound tokens with a valid proof. */
  ALLOWED = 'ALLOWED',
  /** DPoP-bound tokens with a valid proof only; every Bearer token is refused (401). */
  REQUIRED = 'REQUIRED',
}
