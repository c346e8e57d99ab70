import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AUTHORIZER_CONFIG_FILE, AuthorizerConfig, serializeAuthorizerConfig } from './authorizer-config';

/** The prebuilt authorizer, bundled when this package was built (`lib/` and `src/` sit beside `assets/`). */
export const AUTHORIZER_BUNDLE_DIR = join(__dirname, '..', 'assets', 'authorizer');

/** The bundle's entry file; the Lambda handler is `index.handler`. */
export const AUTHORIZER_BUNDLE_FILE = 'index.mjs';

/**
 * Returns a directory holding the prebuilt bundle and this API's configuration, ready to be the
 * authorizer's code asset. The directory is named by the hash of its content, so the same bundle
 * and configuration give the same directory and the same asset hash, on every machine and in
 * every jsii language.
 */
export function stageAuthorizerAsset(config: AuthorizerConfig): string {
  const bundlePath = join(AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE);
  if (!existsSync(bundlePath)) {
    throw new Error(`The prebuilt authorizer bundle is missing at ${bundlePath}. `
      + 'A published package always contains it; in a clone of the repository run "npx projen bundle:authorizer".');
  }
  const bundle = readFileSync(bundlePath);
  const configText = serializeAuthorizerConfig(config);
  const hash = createHash('sha256').update(bundle).update('\0').update(configText).digest('hex').slice(0, 32);
  const dir = join(tmpdir(), 'cdk-auth0-protected-api', hash);
  if (!existsSync(join(dir, AUTHORIZER_CONFIG_FILE))) {
    // Write beside, then rename: parallel synths (jest workers) never see a half-written asset.
    const partial = `${dir}.${process.pid}.partial`;
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, AUTHORIZER_BUNDLE_FILE), bundle);
    writeFileSync(join(partial, AUTHORIZER_CONFIG_FILE), configText);
    try {
      renameSync(partial, dir);
    } catch (e) {
      // Another process staged the same content first; theirs is as good as ours.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(dir, AUTHORIZER_CONFIG_FILE))) throw e;
    }
  }
  return dir;
}
