/**
 * The npm package as users get it: packed from this checkout (`npm pack`, which needs lib/ from
 * a compile), unpacked into a fresh app's node_modules with the peer dependencies a CDK app already
 * has (linked from this checkout, to stay offline), and a PATH holding node alone.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, symlinkSync } from 'fs';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'cdk-auth0-protected-api';

export interface PackedPackage {
  readonly tarball: string;
  /** Paths inside the package, e.g. `assets/authorizer/index.mjs`. */
  readonly files: string[];
  /** The tarball's size in bytes. */
  readonly size: number;
}

/** Packs this checkout into `destination`. */
export function packLibrary(destination: string): PackedPackage {
  if (!existsSync(join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: this test packs the compiled library. Run "npx projen build" (or "npx projen compile" first).');
  }
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  return { tarball: join(destination, packed[0].filename), files: packed[0].files.map((f: { path: string }) => f.path), size: packed[0].size };
}

/** Unpacks `tarball` as `node_modules/cdk-auth0-protected-api` of `appDir`, beside aws-cdk-lib and constructs. */
export function installPacked(tarball: string, appDir: string): string {
  const modules = join(appDir, 'node_modules');
  const dir = join(modules, PACKAGE_NAME);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  for (const peer of ['aws-cdk-lib', 'constructs']) symlinkSync(join(ROOT, 'node_modules', peer), join(modules, peer), 'dir');
  return dir;
}

/** A folder holding only `node`, to use as PATH: no esbuild, no docker, no npx, no cdk. */
export function nodeOnlyPath(work: string): string {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}
