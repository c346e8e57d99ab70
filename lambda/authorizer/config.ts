import { readFileSync } from 'node:fs';
import { logEvent } from './log';
import { AUTHORIZER_CONFIG_FILE, parseAuthorizerConfig, type AuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** The configuration, or why there is none. */
export type LoadedConfig = { readonly config: AuthorizerConfig } | { readonly error: string };

/**
 * Reads `config.json` from the directory of the bundle itself (Lambda's working directory is not
 * guaranteed to be it) and validates it once.
 *
 * A missing or malformed file does not throw out of the module: a module that fails to load makes
 * Lambda report an initialization error, which API Gateway turns into a 500, and the contract is
 * that the authorizer never causes a 500. Instead the problem is logged loudly here and on every
 * invocation, and every request is refused (fail closed).
 */
export function loadConfig(moduleUrl: string): LoadedConfig {
  try {
    const text = readFileSync(new URL(`./${AUTHORIZER_CONFIG_FILE}`, moduleUrl), 'utf8');
    return { config: parseAuthorizerConfig(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logEvent({ event: 'authorizer configuration is unusable; every request will be refused', reason: 'invalid_configuration', detail: message });
    return { error: message };
  }
}
