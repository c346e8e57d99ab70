import { Duration, Token } from 'aws-cdk-lib';
import { CONTEXT_KEY_PATTERN, RESERVED_CONTEXT_KEYS, SUPPORTED_ALGORITHMS } from './authorizer-config';

/*
 * Checks of the construct's props. Each throws an Error that names the prop, shows the value and
 * says the fix.
 */

const MAX_CLOCK_TOLERANCE = Duration.minutes(5);
const SCOPE_FORMAT = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 scope-token: printable ASCII but space, " and \

/** A value as a message shows it: its type, and the value itself where that is short and safe. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'object' || typeof value === 'function') return typeof value;
  return `${typeof value} ${String(value)}`;
}

/*
 * JavaScript and jsii callers (Python, Java, Go, .NET) can pass what the TypeScript types forbid.
 * These checks give them the construct's own message instead of a TypeError from deep inside.
 */

/** A string prop: `required` ones must be present, optional ones may be undefined. */
export function requireString(prop: string, value: unknown, required: boolean, hint = ''): void {
  if (typeof value === 'string' || (value === undefined && !required)) return;
  const what = required ? 'is required and must be a string' : 'must be a string';
  throw new Error(`${prop}: ${what}; got ${describeValue(value)}.${hint ? ` ${hint}` : ''}`);
}

/** A list of strings, or undefined. */
export function requireStringList(prop: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new Error(`${prop}: must be a list of strings; got ${describeValue(value)}. Pass a list, for example ["read:items"].`);
  for (const entry of value) {
    if (typeof entry !== 'string') {
      throw new Error(`${prop}: entry ${String(entry)} must be a string; got ${entry === null ? 'null' : typeof entry}. Give every entry as a string.`);
    }
  }
}

/** Values written into the authorizer's configuration must be known at synth time. */
export function requireLiteral(prop: string, value: string | undefined): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw new Error(`${prop}: the value is an unresolved token (${value}). It is written into the authorizer's configuration at synth time, so pass a plain string.`);
  }
}

/** Scopes as RFC 6749 scope tokens, duplicates dropped. */
export function validateScopes(prop: string, scopes: string[]): string[] {
  requireStringList(prop, scopes);
  for (const scope of scopes) {
    requireLiteral(prop, scope);
    if (!SCOPE_FORMAT.test(scope)) {
      throw new Error(`${prop}: scope ${JSON.stringify(scope)} is empty or contains whitespace, a quote or a backslash. A scope is one word such as "read:items"; list several scopes as separate entries.`);
    }
  }
  return [...new Set(scopes)];
}

export function validateCacheTtl(ttl: Duration): Duration {
  if (!ttl.isUnresolved() && ttl.toSeconds() > 3600) {
    throw new Error(`authorizerCacheTtl: ${ttl.toHumanString()} is longer than API Gateway allows. Use at most Duration.hours(1), or Duration.seconds(0) to turn caching off.`);
  }
  return ttl;
}

export function validateAlgorithms(algorithms: string[]): string[] {
  requireStringList('algorithms', algorithms);
  const unsupported = algorithms.filter((a) => !(SUPPORTED_ALGORITHMS as readonly string[]).includes(a));
  if (algorithms.length === 0 || unsupported.length > 0) {
    throw new Error(`algorithms: ${JSON.stringify(algorithms)} must list one or more of ${SUPPORTED_ALGORITHMS.join(', ')}. Symmetric (HS*) and "none" are never accepted; Auth0 signs with RS256.`);
  }
  return [...new Set(algorithms)];
}

export function validateClockTolerance(tolerance: Duration): Duration {
  if (tolerance.toSeconds() > MAX_CLOCK_TOLERANCE.toSeconds()) {
    throw new Error(`clockTolerance: ${tolerance.toHumanString()} would accept tokens long expired. Use at most Duration.minutes(5); a few seconds is usual.`);
  }
  return tolerance;
}

export function validateContextClaims(claims: Record<string, string>): Record<string, string> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new Error(`contextClaims: must be an object mapping context keys to claim names; got ${describeValue(claims)}. For example { roles: "https://acme.com/roles" }.`);
  }
  for (const [key, claim] of Object.entries(claims)) {
    if (!CONTEXT_KEY_PATTERN.test(key) || (RESERVED_CONTEXT_KEYS as readonly string[]).includes(key)) {
      throw new Error(`contextClaims: context key ${JSON.stringify(key)} must be a letter followed by letters, digits or _ (at most 64), and not one of ${RESERVED_CONTEXT_KEYS.join(', ')}. Rename the key.`);
    }
    if (typeof claim !== 'string' || claim.length === 0) {
      throw new Error(`contextClaims: context key ${JSON.stringify(key)} maps to ${JSON.stringify(claim)}; give the claim name, for example "https://acme.com/roles".`);
    }
  }
  return { ...claims };
}

export function validateAudience(audience: string): string {
  const hint = 'Set it to your Auth0 API Identifier (Dashboard → Applications → APIs), for example "https://api.acme.com".';
  requireString('audience', audience, true, hint);
  requireLiteral('audience', audience);
  if (audience.trim() === '') {
    throw new Error('audience: the value is empty. Set it to your Auth0 API Identifier (Dashboard → Applications → APIs), for example "https://api.acme.com".');
  }
  return audience;
}

export function validateMemorySize(memorySize: number): number {
  if (!Token.isUnresolved(memorySize) && (memorySize < 128 || memorySize > 10240)) {
    throw new Error(`authorizerMemorySize: ${memorySize} is outside what Lambda allows. Use 128 to 10240 MB; 256 is the default.`);
  }
  return memorySize;
}

/** Further API identifiers, each a non-empty literal string; duplicates of `audience` dropped. */
export function validateAdditionalAudiences(audiences: string[] | undefined, audience: string): string[] {
  requireStringList('additionalAudiences', audiences);
  for (const entry of audiences ?? []) {
    requireLiteral('additionalAudiences', entry);
    if (entry.trim() === '') throw new Error('additionalAudiences: entry "" is empty. List further Auth0 API Identifiers, for example "https://old-api.acme.com".');
  }
  return [...new Set(audiences ?? [])].filter((a) => a !== audience);
}

/** Auth0 organization IDs are `org_` followed by letters and digits (Dashboard → Organizations → the organization's ID). */
const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/;

/** The organization allow-list: `undefined` when unset; an empty list would refuse every token. */
export function validateOrganizations(organizations: string[] | undefined): string[] | undefined {
  if (organizations === undefined) return undefined;
  requireStringList('organizations', organizations);
  if (organizations.length === 0) {
    throw new Error('organizations: the list is empty, which would refuse every token. List organization IDs such as "org_abc123", or leave organizations unset.');
  }
  for (const id of organizations) {
    requireLiteral('organizations', id);
    if (!ORGANIZATION_ID.test(id)) {
      throw new Error(`organizations: ${JSON.stringify(id)} is not an Auth0 organization ID. Give the ID (Dashboard → Organizations → the organization), which looks like "org_abc123", not its name.`);
    }
  }
  return [...new Set(organizations)];
}
