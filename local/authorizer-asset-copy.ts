/**
 * Recognises this library's authorizer in a synthesized app (an asset folder holding the bundle
 * `index.mjs` with its `config.json` beside it) and makes the copy the command runs: the same
 * bundle, byte for byte, with only `issuer` and `jwksUri` of the configuration replaced by the
 * local issuer's. The synthesized asset itself is never modified.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { AUTHORIZER_CONFIG_FILE, parseAuthorizerConfig, serializeAuthorizerConfig, type AuthorizerConfig } from '../src/authorizer/authorizer-config';

/** The bundle's file name, as the construct stages it. */
export const AUTHORIZER_BUNDLE_FILE = 'index.mjs';

/** The configuration of the authorizer in `assetDir`, or `undefined` when it is not this library's. */
export function protectedAuthorizerConfig(assetDir: string | undefined): AuthorizerConfig | undefined {
  if (assetDir === undefined) return undefined;
  const configPath = join(assetDir, AUTHORIZER_CONFIG_FILE);
  if (!existsSync(join(assetDir, AUTHORIZER_BUNDLE_FILE)) || !existsSync(configPath)) return undefined;
  return parseAuthorizerConfig(readFileSync(configPath, 'utf8'));
}

/** Copies the authorizer in `assetDir` into `workDir/<name>`, pointed at `issuer`. */
export function pointAuthorizerAt(assetDir: string, issuer: { issuer: string; jwksUri: string }, workDir: string, name: string): string {
  const config = parseAuthorizerConfig(readFileSync(join(assetDir, AUTHORIZER_CONFIG_FILE), 'utf8'));
  const dir = join(workDir, name.replace(/[^\w.-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(assetDir, AUTHORIZER_BUNDLE_FILE), join(dir, AUTHORIZER_BUNDLE_FILE));
  writeFileSync(join(dir, AUTHORIZER_CONFIG_FILE), serializeAuthorizerConfig({ ...config, issuer: issuer.issuer, jwksUri: issuer.jwksUri }));
  return dir;
}
