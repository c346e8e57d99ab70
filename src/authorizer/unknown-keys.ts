import { describeValue } from './prop-validation';

/**
 * The keys a props or options interface declares, as an object literal checked against the
 * interface: declare each list as
 * `{ ... } satisfies KnownKeys<TheProps>`, so a prop added to the interface and not to its list
 * (or listed but not declared) fails to compile. Checked at compile time rather than read from the
 * jsii assembly at synthesis: no file to load on every synth, and the list cannot drift from the
 * source that `jest` and `tsc` see.
 */
export type KnownKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Refuses keys of `given` that `known` does not list. TypeScript stops a misspelled key at compile
 * time, but plain JavaScript does not, and a key nobody reads is a setting silently dropped:
 * `requiredScope: ['admin']` would let every valid token through. All unknown keys are reported in
 * one message, each with the closest known key when there is a plausible one.
 *
 * Only objects this library defines are checked. Objects it passes on to aws-cdk-lib
 * (`restApiProps`, `httpApiProps`, `cors`, `methodOptions`, `throttle`) are aws-cdk-lib's, whose
 * own types may gain keys in any release, and `contextClaims` maps names the user chooses.
 *
 * @param where how the message names the object, e.g. `Auth0ProtectedApi props`
 */
export function refuseUnknownKeys(where: string, given: unknown, known: Readonly<Record<string, true>>): void {
  if (typeof given !== 'object' || given === null) return;
  const names = Object.keys(known);
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(known, key));
  if (unknown.length === 0) return;
  const values = given as Record<string, unknown>;
  const problems = unknown.map((key) => {
    const closest = closestKey(key, names);
    return `"${key}" (${describeValue(values[key])}). ${closest ? `Did you mean "${closest}"?` : `Known keys: ${names.map((n) => `"${n}"`).join(', ')}.`}`;
  });
  throw new Error(`${where}: unknown key${unknown.length > 1 ? 's' : ''} ${problems.join('; ')} `
    + 'A key this library does not know would be ignored: correct or remove it.');
}

/**
 * The known key a misspelling most likely meant: the nearest by edit distance (case ignored) when
 * that is small for the key's length, else a known key that contains it or that it contains
 * (`cacheTtl` for `authorizerCacheTtl`). `undefined` when nothing is close.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))) return best;
  if (lower.length < 4) return undefined;
  return known.find((name) => name.toLowerCase().includes(lower) || lower.includes(name.toLowerCase()));
}

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
