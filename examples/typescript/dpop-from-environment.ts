import { DpopMode } from '../../src';

/**
 * The example's `dpop` mode from an environment variable: unset or empty for DpopMode.DISABLED (the
 * library's default), `allowed` or `required` in any case; anything else stops the run naming the fix,
 * so that a misspelled mode never leaves DPoP silently off.
 */
export function dpopFromEnvironment(name: string): DpopMode | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const mode = Object.values(DpopMode).find((m) => m === value.toUpperCase());
  if (mode === undefined) throw new Error(`${name}: "${value}" is not a DPoP mode. Set allowed or required, or leave it unset for Bearer tokens only.`);
  return mode;
}
