/**
 * The prebuilt API Gateway REST REQUEST authorizer. Deployed as `index.handler` next to the
 * `config.json` the construct writes. See DESIGN.md, "Authorization semantics".
 *
 * Everything that can be done once per Lambda instance happens at module scope, during cold
 * start: reading the configuration and fetching the issuer's signing keys. What does not depend
 * on the kind of API event (verification, grants) is in `authenticate.ts`; this file holds the
 * REST (payload 1.0 REQUEST) side: the event's route, the policy, and the `Unauthorized` rejection.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authenticate, type Instance } from './authenticate';
import { VerifiedTokenCache } from './cache';
import { loadConfig } from './config';
import { contextFor } from './context';
import { createKeySet, warmKeySet, type KeySetState } from './jwks';
import { logEvent, logRefusal, safeErrorText } from './log';
import { arnPrefix, decide } from './policy';
import { Refusal } from './refusal';
import { bearerToken } from './token';

/** The instance, or why it can authorize nothing. */
type Ready = Instance | { error: string };

async function coldStart(): Promise<Ready> {
  const loaded = loadConfig(import.meta.url);
  if ('error' in loaded) return loaded;
  try {
    const keySet: KeySetState = {};
    const keys = createKeySet(loaded.config, keySet);
    await warmKeySet(keys);
    return { config: loaded.config, keys, keySet, verified: new VerifiedTokenCache(loaded.config.jwksCacheMaxAgeMs) };
  } catch (error) {
    // Only reachable with a configuration jose refuses (for instance a non-integer timeout).
    const detail = safeErrorText(error, undefined);
    logEvent({ event: 'authorizer configuration is unusable', reason: 'invalid_configuration', detail });
    return { error: detail };
  }
}

const ready: Ready = await coldStart();

/** The one rejection API Gateway maps to 401; any other message becomes a 500. */
function unauthorized(): Error {
  return new Error('Unauthorized');
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
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
    token = bearerToken(event);
    const { claims, grants } = await authenticate(ready, token, route);
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
    if (error instanceof Refusal) {
      const detail = error.detail === undefined ? undefined : safeErrorText(new Error(error.detail), token).replace(/^Error: /, '');
      logRefusal({ reason: error.reason, route, sub: error.sub, detail, status: 401 });
    } else {
      logRefusal({ reason: 'internal_error', route, detail: safeErrorText(error, token), status: 401 });
    }
    throw unauthorized();
  }
}
