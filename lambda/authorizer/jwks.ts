import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { createLocalJWKSet, type JSONWebKeySet, type LocalJWKSet } from 'jose';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';
import type { AuthorizerConfig } from '../../src/authorizer-config';

/** Largest JWKS body we read. Auth0's is about 3 KiB; a hostile or broken endpoint cannot exhaust memory. */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** When the key set in use was fetched (`uat`, milliseconds since the epoch): its generation, for VerifiedTokenCache. */
export interface KeySetState { uat?: number }

/**
 * The issuer's key set: a key resolver for jose's `jwtVerify`, with `reload()`, whether the key set
 * in use is still `fresh` (younger than the cache age) and whether an unknown `kid` is `coolingDown`.
 */
export interface RemoteKeySet {
  (protectedHeader: Parameters<LocalJWKSet>[0], token: Parameters<LocalJWKSet>[1]): ReturnType<LocalJWKSet>;
  readonly fresh: boolean;
  readonly coolingDown: boolean;
  reload(): Promise<void>;
}

/**
 * The one key set of this Lambda instance, created at cold start. The same policy as jose's
 * `createRemoteJWKSet`: concurrent callers share one in-flight fetch, an unknown `kid` refetches at
 * most once per cooldown, and the key set is refetched once older than `cacheMaxAge`. Matching and
 * importing keys is jose's (`createLocalJWKSet`). Not jose's remote set itself because it builds a
 * WHATWG `Headers` at creation and fetches with `fetch`: both load undici, which costs tens of
 * milliseconds of cold start; the JWKS is fetched with node:https here instead ({@link fetchKeySet}).
 */
export function createKeySet(config: AuthorizerConfig, state: KeySetState = {}): RemoteKeySet {
  const url = new URL(config.jwksUri);
  const { jwksTimeoutMs, jwksCooldownMs, jwksCacheMaxAgeMs } = config;
  let local: LocalJWKSet | undefined;
  let pending: Promise<void> | undefined;
  const youngerThan = (ms: number) => state.uat !== undefined && Date.now() < state.uat + ms;

  const reload = (): Promise<void> => {
    if (pending === undefined) {
      const current: Promise<void> = pending = fetchKeySet(url, jwksTimeoutMs).then((json) => {
        // Throws JWKSInvalid for anything that is not a key set: the fetch fails, the old set stays.
        local = createLocalJWKSet(json as JSONWebKeySet);
        state.uat = Date.now();
      }).finally(() => {
        if (pending === current) pending = undefined;
      });
    }
    return pending;
  };

  const keySet = async (protectedHeader: Parameters<LocalJWKSet>[0], token: Parameters<LocalJWKSet>[1]) => {
    if (local === undefined || !youngerThan(jwksCacheMaxAgeMs)) await reload();
    try {
      return await local!(protectedHeader, token);
    } catch (error) {
      // A kid we do not know may be a key the issuer published since: refetch, at most once per cooldown.
      if (error instanceof errors.JWKSNoMatchingKey && !youngerThan(jwksCooldownMs)) {
        await reload();
        return local!(protectedHeader, token);
      }
      throw error;
    }
  };
  return Object.defineProperties(keySet, {
    fresh: { get: () => youngerThan(jwksCacheMaxAgeMs) },
    coolingDown: { get: () => youngerThan(jwksCooldownMs) },
    reload: { value: reload },
  }) as RemoteKeySet;
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
 * GETs the JWKS and parses it as JSON, with node:https (node:http only for the loopback issuers the
 * configuration allows). Redirects are never followed (a redirect could move key discovery to
 * another origin); anything but 200 fails; at most {@link MAX_JWKS_BYTES} of body are read, whether
 * or not a `content-length` is declared; the whole exchange (connection, headers, body) must finish
 * within `timeoutMs`. No `accept-encoding` is sent, so the body arrives uncompressed.
 */
export function fetchKeySet(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let request: ClientRequest | undefined;
    let response: IncomingMessage | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      response?.destroy();
      request?.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new errors.JWKSTimeout()), timeoutMs);
    const get = url.protocol === 'https:' ? httpsRequest : httpRequest;
    request = get(url, { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' } });
    request.on('error', fail);
    request.on('response', (res) => {
      response = res;
      res.on('error', fail);
      if (res.statusCode !== 200) {
        fail(new errors.JOSEError(`Expected 200 OK from the JSON Web Key Set HTTP response, got ${res.statusCode}`));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (declared > MAX_JWKS_BYTES) {
        fail(new Error(`JWKS response declares ${declared} bytes, more than ${MAX_JWKS_BYTES}`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_JWKS_BYTES) fail(new Error(`JWKS response is larger than ${MAX_JWKS_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) {
          fail(new Error('JWKS response ended before its body was complete'));
          return;
        }
        settled = true;
        clearTimeout(timer);
        try {
          // TextDecoder drops a byte order mark, as fetch's `json()` does.
          resolve(JSON.parse(new TextDecoder().decode(Buffer.concat(chunks, total))));
        } catch (cause) {
          reject(new errors.JOSEError('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause }));
        }
      });
    });
    request.end();
  });
}
