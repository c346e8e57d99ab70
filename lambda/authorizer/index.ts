/**
 * The prebuilt API Gateway authorizer, for REST APIs (payload 1.0 REQUEST events) and HTTP APIs
 * (payload 2.0 events, simple responses). Deployed as `index.handler` next to the `config.json`
 * the construct writes. See DESIGN.md, "Authorization semantics".
 *
 * Everything that can be done once per Lambda instance happens at module scope, during cold
 * start: reading the configuration and fetching the issuer's signing keys. What does not depend
 * on the kind of API event (verification, grants) is in `authenticate.ts`; the REST side is in
 * `rest-handler.ts`, the HTTP API side in `http-api-handler.ts`. This file only dispatches.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { Instance } from './authenticate';
import { VerifiedTokenCache } from './cache';
import { loadConfig } from './config';
import { authorizeHttpApiRequest, isHttpApiEvent, type HttpApiResult } from './http-api-handler';
import { createKeySet, warmKeySet, type KeySetState } from './jwks';
import { logEvent, safeErrorText } from './log';
import { ProofReplayCache } from './replay-cache';
import { authorizeRestRequest } from './rest-handler';

/** The instance, or why it can authorize nothing. */
type Ready = Instance | { error: string };

async function coldStart(): Promise<Ready> {
  const loaded = loadConfig(import.meta.url);
  if ('error' in loaded) return loaded;
  try {
    const keySet: KeySetState = {};
    const keys = createKeySet(loaded.config, keySet);
    await warmKeySet(keys);
    const { config } = loaded;
    const replay = config.dpop === undefined ? undefined : new ProofReplayCache(config.dpop.replayCacheSize);
    return { config, keys, keySet, verified: new VerifiedTokenCache(config.jwksCacheMaxAgeMs), replay };
  } catch (error) {
    // Only reachable with a configuration jose refuses (for instance a non-integer timeout).
    const detail = safeErrorText(error, undefined);
    logEvent({ event: 'authorizer configuration is unusable', reason: 'invalid_configuration', detail });
    return { error: detail };
  }
}

const ready: Ready = await coldStart();

export async function handler(
  event: APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewayAuthorizerResult | HttpApiResult> {
  // HTTP API events (payload format 2.0) are decided by route key: see http-api-handler.ts.
  if (isHttpApiEvent(event)) return authorizeHttpApiRequest(event, ready);
  return authorizeRestRequest(event, ready);
}
