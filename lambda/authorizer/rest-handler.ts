/**
 * The decision for a REST API request (payload 1.0 REQUEST authorizer event): the event's route,
 * the IAM policy, and the `Unauthorized` rejection. Verification and grants are in `authenticate.ts`.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authenticate, type Instance } from './authenticate';
import { contextFor } from './context';
import { logRefusal } from './log';
import { arnPrefix, decide } from './policy';
import { restRequestTarget } from './request-target';
import { restAuthorization, restHeaderValues } from './token';
import { logUnauthorized, unauthorized } from './unauthorized';

/** Decides one REST API request. Resolves a policy (200 or 403) or rejects with exactly `Unauthorized` (401). */
export async function authorizeRestRequest(
  event: APIGatewayRequestAuthorizerEvent,
  ready: Instance | { readonly error: string },
): Promise<APIGatewayAuthorizerResult> {
  const method = typeof event?.httpMethod === 'string' ? event.httpMethod : '?';
  const resource = typeof event?.resource === 'string' ? event.resource : '?';
  const route = `${method} ${resource}`;
  if ('error' in ready) {
    logRefusal({ reason: 'invalid_configuration', route, detail: ready.error, status: 401 });
    throw unauthorized();
  }
  let token: string | undefined;
  try {
    const { config } = ready;
    const prefix = arnPrefix(event.methodArn);
    const authorization = restAuthorization(event);
    token = authorization.token;
    const presented = { authorization, proofs: restHeaderValues(event, 'dpop'), target: restRequestTarget(event) };
    const { claims, grants } = await authenticate(ready, presented, route);
    const decision = decide(config, prefix, method, resource, grants);
    if (!decision.allowed) {
      logRefusal({ reason: decision.reason ?? 'insufficient_scope', route, sub: claims.sub, missingScopes: decision.missingScopes, status: 403 });
    }
    return {
      principalId: claims.sub,
      policyDocument: decision.policyDocument,
      context: contextFor(claims, grants, config.contextClaims),
    };
  } catch (error) {
    // Whatever went wrong, API Gateway must see exactly `Unauthorized`: anything else is a 500.
    logUnauthorized(error, route, token);
    throw unauthorized();
  }
}
