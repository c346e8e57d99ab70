import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { AUTHORIZER_CONFIG_FILE, AuthorizerConfig, serializeAuthorizerConfig } from './authorizer-config';

/** The prebuilt authorizer, bundled when this package was built (`lib/` and `src/` sit beside `assets/`). */
export const AUTHORIZER_BUNDLE_DIR = join(__dirname, '..', '..', 'assets', 'authorizer');

/** The bundle's entry file; the Lambda handler is `index.handler`. */
export const AUTHORIZER_BUNDLE_FILE = 'index.mjs';

/** Where this process stages: created on first use by mkdtemp, so with mode 0700 and a random name. */
let stagingRoot: string | undefined;

/**
 * Whether the staging root must outlive this process: see {@link keepStagedAssetIfReadAfterSynth}.
 */
let keepStagingRoot = false;

/** Directories this process wrote, by content hash. */
const stagedByThisProcess = new Map<string, string>();

/**
 * Returns a directory holding the prebuilt bundle and this API's configuration, ready to be the
 * authorizer's code asset.
 *
 * The directory is written by this process inside a directory that `mkdtemp` created for it
 * (mode 0700, random name), so no other user of a shared build machine can plant or change what
 * is deployed as the authorizer. A directory is reused within the process only after its content
 * is compared byte for byte. The asset hash comes from the content alone (CDK's source
 * fingerprint of relative paths and bytes), so the same bundle and configuration give the same
 * asset hash on every machine and in every jsii language, wherever they were staged.
 */
export function stageAuthorizerAsset(config: AuthorizerConfig): string {
  const bundlePath = join(AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE);
  if (!existsSync(bundlePath)) {
    throw new Error(`The prebuilt authorizer bundle is missing at ${bundlePath}. `
      + 'A published package always contains it; in a clone of the repository run "npx projen bundle:authorizer".');
  }
  const files: Record<string, Buffer> = {
    [AUTHORIZER_BUNDLE_FILE]: readFileSync(bundlePath),
    [AUTHORIZER_CONFIG_FILE]: Buffer.from(serializeAuthorizerConfig(config)),
  };
  const hash = createHash('sha256').update(files[AUTHORIZER_BUNDLE_FILE]).update('\0').update(files[AUTHORIZER_CONFIG_FILE]).digest('hex').slice(0, 32);
  const known = stagedByThisProcess.get(hash);
  if (known !== undefined && holdsExactly(known, files)) return known;

  stagingRoot ??= createStagingRoot();
  // A new directory each time: never one that already exists, even inside our own root.
  const dir = mkdtempSync(join(stagingRoot, `${hash}-`));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { flag: 'wx' });
  stagedByThisProcess.set(hash, dir);
  return dir;
}

/** Whether `dir` holds these files and nothing else, byte for byte. */
function holdsExactly(dir: string, files: Record<string, Buffer>): boolean {
  try {
    const names = readdirSync(dir).sort();
    return names.join('/') === Object.keys(files).sort().join('/')
      && names.every((name) => readFileSync(join(dir, name)).equals(files[name]));
  } catch {
    return false;
  }
}

/**
 * Records that CDK reads the asset of `scope` from where it was staged, after synthesis: with asset
 * staging disabled (context `aws:cdk:disable-asset-staging`, which SAM sets), CDK does not copy the
 * directory into the cloud assembly, and the template's `aws:asset:path` names the staged directory
 * itself, which SAM reads after this process has exited. Then this process's staging root is kept.
 */
export function keepStagedAssetIfReadAfterSynth(scope: IConstruct): void {
  if (scope.node.tryGetContext(DISABLE_ASSET_STAGING_CONTEXT)) keepStagingRoot = true;
}

/**
 * Creates this process's staging root, removed when the process exits. With staging enabled, CDK's
 * `Asset` copies the directory into the cloud assembly while it is constructed (before synthesis
 * ends), and deployment reads that copy, so nothing needs the staged directory after exit. Only the
 * root this process created is removed, synchronously: an `exit` listener cannot wait.
 */
function createStagingRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'cdk-auth0-protected-api-'));
  process.once('exit', () => {
    if (keepStagingRoot) return;
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // Leaving a temporary directory behind must not change how the process exits.
    }
  });
  return root;
}
