/**
 * Why a request is refused. Every refusal ends as API Gateway's 401 (the handler rejects with
 * `Unauthorized`), except `insufficient_scope` and `unknown_route`, which end as a Deny policy
 * (403). The reason only ever reaches the log, never the caller.
 */
export type RefusalReason =
  | 'missing_token'
  | 'malformed_token'
  | 'embedded_key'
  | 'missing_kid'
  | 'unknown_kid'
  | 'bad_signature'
  | 'disallowed_algorithm'
  | 'weak_key'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'wrong_organization'
  | 'dpop_not_enabled'
  | 'dpop_required'
  | 'bound_token_as_bearer'
  | 'invalid_dpop_proof'
  | 'dpop_binding_mismatch'
  | 'dpop_proof_replayed'
  | 'dpop_replay_memory_full'
  | 'jwks_unavailable'
  | 'invalid_request'
  | 'invalid_configuration'
  | 'internal_error'
  | 'insufficient_scope'
  | 'unknown_route';

/**
 * A decision to answer 401. Thrown inside the authorizer and turned into exactly
 * `new Error('Unauthorized')` by the handler, the only rejection API Gateway maps to 401.
 */
export class Refusal extends Error {
  constructor(
    public readonly reason: RefusalReason,
    /** Safe-to-log explanation: never the token or any part of it. */
    public readonly detail?: string,
    /** The token's subject, set only once the signature has been verified. */
    public readonly sub?: string,
  ) {
    super(reason);
    this.name = 'Refusal';
  }
}
