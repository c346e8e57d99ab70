/**
 * The prebuilt API Gateway REST REQUEST authorizer. Deployed as `index.handler` next to the
 * `config.json` the construct writes. See DESIGN.md, "Authorization semantics".
 *
 * Everything that can be done once per Lambda instance happens at module scope, during cold
 * start: reading the configuration and fetching the issuer's signing keys.
 */
import type {
  APIGatewayAuthorizerResult, APIGatewayAuthorizerResultContext, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { VerifiedTokenCache } from './cache';
import { loadConfig } from './config';
import { contextFor } from './context';
import { grantsOf } from './grants';
import { authorizeHttpApiRequest, isHttpApiEvent } from './http-api-handler';
import { createKeySet, warmKeySet, type KeySetState, type RemoteKeySet } from './jwks';
import { logRefusal, safeErrorText } from './log';
import { arnPrefix, decide } from './policy';
import { Refusal } from './refusal';
import { bearerToken } from './token';
import { verifiedClaims } from './verified-claims';
import type { AuthorizerConfig } from '../../src/authorizer-config';

/** The configuration and key set, or why this instance can authorize nothing. */
type Ready = { config: AuthorizerConfig; keys: RemoteKeySet; keySet: KeySetState } | { error: string };

async function coldStart(): Promise<Ready> {
  const loaded = loadConfig(import.meta.url);
  if ('error' in loaded) return loaded;
  try {
    const keySet: KeySetState = {};
    const keys = createKeySet(loaded.config, keySet);
    await warmKeySet(keys);
    return { config: loaded.config, keys, keySet };
  } catch (error) {
    // Only reachable with a configuration jose refuses (for instance a non-integer timeout).
    const detail = safeErrorText(error, undefined);
    console.error(JSON.stringify({ level: 'error', message: 'authorizer configuration is unusable', reason: 'invalid_configuration', detail }));
    return { error: detail };
  }
}

const ready: Ready = await coldStart();

/** Tokens verified recently by this instance: the same token again skips the signature check. */
const verified = 'error' in ready ? undefined : new VerifiedTokenCache(ready.config.jwksCacheMaxAgeMs);

/** The one rejection API Gateway maps to 401; any other message becomes a 500. */
function unauthorized(): Error {
  return new Error('Unauthorized');
}

export async function handler(
  event: APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewayAuthorizerResult | APIGatewaySimpleAuthorizerWithContextResult<APIGatewayAuthorizerResultContext>> {
  // HTTP API events (payload format 2.0) are decided by route key: see http-api-handler.ts.
  if (isHttpApiEvent(event)) return authorizeHttpApiRequest(event, ready, verified);
  const method = typeof event?.httpMethod === 'string' ? event.httpMethod : '?';
  const resource = typeof event?.resource === 'string' ? event.resource : '?';
  const route = `${method} ${resource}`;
  if ('error' in ready) {
    logRefusal({ reason: 'invalid_configuration', route, detail: ready.error, status: 401 }, 'error');
    throw unauthorized();
  }
  let token: string | undefined;
  try {
    const { config } = ready;
    const prefix = arnPrefix(event.methodArn);
    token = bearerToken(event);
    // A remembered verification counts only under the key set it was made with, while that set is fresh.
    const claims = await verifiedClaims(token, ready, verified!);
    let grants: Set<string>;
    try {
      grants = grantsOf(claims);
    } catch (error) {
      throw error instanceof Refusal ? new Refusal(error.reason, error.detail, claims.sub) : error;
    }
    const decision = decide(config, prefix, method, resource, grants);
    if (!decision.allowed) {
      const reason = decision.reason ?? 'insufficient_scope';
      logRefusal({ reason, route, sub: claims.sub, missingScopes: decision.missingScopes, status: 403 }, reason === 'unknown_route' ? 'error' : 'warn');
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
      logRefusal({ reason: error.reason, route, sub: error.sub, detail, status: 401 }, error.reason === 'invalid_request' ? 'error' : 'warn');
    } else {
      logRefusal({ reason: 'internal_error', route, detail: safeErrorText(error, token), status: 401 }, 'error');
    }
    throw unauthorized();
  }
}
