import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
// jose is a devDependency on purpose: esbuild bundles it into the shipped asset, so users never install it.
// eslint-disable-next-line import/no-extraneous-dependencies
import { createLocalJWKSet, type JSONWebKeySet, type LocalJWKSet } from 'jose';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as errors from 'jose/errors';
import { describeError, logEvent } from './log';
import { requireUsableKey } from './usable-keys';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** Largest JWKS body we read. Auth0's is about 3 KiB; a hostile or broken endpoint cannot exhaust memory. */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** When the key set in use was fetched (`uat`, milliseconds since the epoch): its generation, for VerifiedTokenCache. */
export interface KeySetState { uat?: number }

/**
 * After `n` failed fetches in a row the next attempt waits `jwksCooldownMs * 2^(n-1)`, at most this
 * many cooldowns (80 s with the default 10 s cooldown): an issuer that is down is not asked again on
 * every request, and one that is back is found again within minutes.
 */
export const MAX_BACKOFF_COOLDOWNS = 8;

/**
 * The issuer's key set: a key resolver for jose's `jwtVerify`, with `reload()`, whether the key set
 * in use is still `fresh` (younger than the cache age) and whether a fetch is `coolingDown` (no new
 * attempt allowed yet).
 */
export interface RemoteKeySet {
  (protectedHeader: Parameters<LocalJWKSet>[0], token: Parameters<LocalJWKSet>[1]): ReturnType<LocalJWKSet>;
  readonly fresh: boolean;
  readonly coolingDown: boolean;
  reload(): Promise<void>;
}

/**
 * The one key set of this Lambda instance, created at cold start. Concurrent callers share one
 * in-flight fetch; after any fetch (success or failure) no new one starts for a cooldown, longer
 * after consecutive failures ({@link MAX_BACKOFF_COOLDOWNS}); the key set is refetched once older
 * than `jwksCacheMaxAgeMs`. While refetching fails, the last good key set keeps verifying until it
 * is `jwksStaleMaxAgeMs` old: an issuer outage does not become an outage of the API, and a key the
 * issuer withdrew during the outage is trusted at most that long. Each failed fetch writes one
 * ERROR line (`jwks_fetch_failed`), which the AuthorizerErrors alarm counts.
 *
 * Matching and importing keys is jose's (`createLocalJWKSet`). Not jose's remote set itself because
 * it builds a WHATWG `Headers` at creation and fetches with `fetch`: both load undici, which costs
 * tens of milliseconds of cold start; the JWKS is fetched with node:https here instead
 * ({@link fetchKeySet}). jose's remote set also has no stale mode: once its cache age has passed it
 * refuses every token while the issuer is down.
 */
export function createKeySet(config: AuthorizerConfig, state: KeySetState = {}): RemoteKeySet {
  const url = new URL(config.jwksUri);
  const { jwksTimeoutMs, jwksCooldownMs, jwksCacheMaxAgeMs, jwksStaleMaxAgeMs } = config;
  let local: LocalJWKSet | undefined;
  let pending: Promise<void> | undefined;
  /** When the last fetch ended, successful or not. */
  let lastAttempt: number | undefined;
  let failures = 0;

  const ageAt = (now: number) => state.uat === undefined ? Infinity : now - state.uat;
  const retryDelay = () => failures === 0 ? jwksCooldownMs : jwksCooldownMs * Math.min(2 ** (failures - 1), MAX_BACKOFF_COOLDOWNS);
  const coolingDownAt = (now: number) => lastAttempt !== undefined && now < lastAttempt + retryDelay();
  /** Whether a caller may start (or join) a fetch now. */
  const mayFetch = (now: number) => pending !== undefined || !coolingDownAt(now);

  const reload = (): Promise<void> => {
    if (pending === undefined) {
      // createLocalJWKSet throws JWKSInvalid for anything that is not a key set, requireUsableKey for a
      // key set without a key the allow-list can use: either way the fetch fails, the old set stays.
      const fetched = fetchKeySet(url, jwksTimeoutMs).then(async (json) => {
        const set = createLocalJWKSet(json as JSONWebKeySet);
        await requireUsableKey(json as JSONWebKeySet, config.algorithms);
        return set;
      });
      const current: Promise<void> = pending = fetched.then((set) => {
        local = set;
        state.uat = lastAttempt = Date.now();
        failures = 0;
      }, (error: unknown) => {
        lastAttempt = Date.now();
        failures += 1;
        const age = ageAt(lastAttempt);
        logEvent({
          event: 'JWKS fetch failed',
          reason: 'jwks_fetch_failed',
          detail: describeError(error),
          consecutiveFailures: failures,
          nextAttemptInMs: retryDelay(),
          // How old the key set still in use is, and for how much longer it is used; absent when there is none.
          keySetAgeMs: Number.isFinite(age) ? age : undefined,
          staleKeysUsableForMs: age < jwksStaleMaxAgeMs ? jwksStaleMaxAgeMs - age : undefined,
        });
        throw error;
      }).finally(() => {
        if (pending === current) pending = undefined;
      });
    }
    return pending;
  };

  const keySet = async (protectedHeader: Parameters<LocalJWKSet>[0], token: Parameters<LocalJWKSet>[1]) => {
    const now = Date.now();
    if (!(ageAt(now) < jwksCacheMaxAgeMs)) {
      if (mayFetch(now)) {
        try {
          await reload();
        } catch (error) {
          // The last good key set carries on while it is within the stale bound.
          if (!(ageAt(Date.now()) < jwksStaleMaxAgeMs)) throw error;
        }
      } else if (!(ageAt(now) < jwksStaleMaxAgeMs)) {
        throw new errors.JOSEError(`no usable JSON Web Key Set: the last fetch failed, the next is allowed in ${lastAttempt! + retryDelay() - now} ms`);
      }
    }
    try {
      return await local!(protectedHeader, token);
    } catch (error) {
      // A kid we do not know may be a key the issuer published since: refetch, at most once per cooldown.
      if (error instanceof errors.JWKSNoMatchingKey && mayFetch(Date.now())) {
        await reload();
        return local!(protectedHeader, token);
      }
      throw error;
    }
  };
  return Object.defineProperties(keySet, {
    fresh: { get: () => ageAt(Date.now()) < jwksCacheMaxAgeMs },
    coolingDown: { get: () => coolingDownAt(Date.now()) },
    reload: { value: reload },
  }) as RemoteKeySet;
}

/**
 * Fetches the key set once during cold start, so the first request does not pay for it.
 * Failure is swallowed on purpose (the fetch has logged it): an issuer that is down while this
 * instance starts must not crash the module; requests retry after the cooldown.
 */
export async function warmKeySet(keys: RemoteKeySet): Promise<void> {
  try {
    await keys.reload();
  } catch {
    // Logged by reload.
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
