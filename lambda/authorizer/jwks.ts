// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { createRemoteJWKSet, customFetch, jwksCache, type FetchImplementation, type JWKSCacheInput } from 'jose';
import type { AuthorizerConfig } from '../../src/authorizer-config';

/** Largest JWKS body we read. Auth0's is about 3 KiB; a hostile or broken endpoint cannot exhaust memory. */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** Where jose records when the key set in use was fetched (`uat`, milliseconds since the epoch). */
export type KeySetState = JWKSCacheInput & { uat?: number };

/** The issuer's key set as jose sees it: a key resolver with `reload()`. */
export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * The one key set of this Lambda instance, created at cold start. jose shares one in-flight fetch
 * between concurrent callers, refetches an unknown `kid` at most once per cooldown, and refreshes
 * after `cacheMaxAge`.
 */
export function createKeySet(config: AuthorizerConfig, state: KeySetState = {}): RemoteKeySet {
  return createRemoteJWKSet(new URL(config.jwksUri), {
    // jose insists on an integer; the configuration allows any non-negative number.
    timeoutDuration: Math.ceil(config.jwksTimeoutMs),
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: config.jwksCacheMaxAgeMs,
    [customFetch]: boundedFetch,
    // jose stamps `uat` here on every successful fetch: the key set's generation, for VerifiedTokenCache.
    [jwksCache]: state,
  });
}

/**
 * Fetches the key set once during cold start, so the first request does not pay for it.
 * Failure is swallowed on purpose: an issuer that is down while this instance starts must not
 * crash the module; each later request tries again (and is refused while the issuer stays down).
 */
export async function warmKeySet(keys: RemoteKeySet): Promise<void> {
  try {
    await keys.reload();
  } catch (error) {
    console.warn(JSON.stringify({
      level: 'warn',
      message: 'JWKS could not be fetched during cold start; requests will retry',
      detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }));
  }
}

/**
 * fetch for the JWKS: no redirects (a redirect could move key discovery to another origin) and
 * at most {@link MAX_JWKS_BYTES} of body. jose then insists on a 200 with a JSON key set.
 */
export const boundedFetch: FetchImplementation = async (url, options) => {
  const response = await fetch(url, { ...options, redirect: 'manual' });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return response;
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_JWKS_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`JWKS response declares ${declared} bytes, more than ${MAX_JWKS_BYTES}`);
  }
  const body = await readAtMost(response, MAX_JWKS_BYTES);
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
};

async function readAtMost(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`JWKS response is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
