/**
 * The staging folder (`$TMPDIR/cdk-auth0-protected-api-XXXXXX/`) is this process's: removed when the
 * process exits, once CDK has copied the asset into the cloud assembly, except when asset staging
 * is disabled, as SAM synthesizes, because then the template points to the staged folder itself.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { isAbsolute, join } from 'path';
import { AUTHORIZER_BUNDLE_FILE } from '../../src/authorizer/authorizer-asset';
import { AUTHORIZER_CONFIG_FILE } from '../../src/authorizer/authorizer-config';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'staging-cleanup-test-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Runs the synthesizing child with its own TMPDIR; returns what it printed and what it left in that TMPDIR. */
function synthInChild(mode?: 'disable-staging'): { assemblyDir: string; assetPath: string; stagingRoots: string[]; childTmp: string } {
  const childTmp = join(work, 'tmp');
  rmSync(childTmp, { recursive: true, force: true });
  mkdirSync(childTmp);
  const args = ['--transpile-only', '--project', 'tsconfig.dev.json', '-O', '{"rootDir":"."}', 'test/support/synth-child.ts', join(work, 'cdk.out'), ...(mode ? [mode] : [])];
  const child = spawnSync(join(ROOT, 'node_modules', '.bin', 'ts-node'), args, {
    cwd: ROOT, env: { ...process.env, TMPDIR: childTmp }, encoding: 'utf8', timeout: 150_000,
  });
  if (child.status !== 0) throw new Error(`the synthesizing child failed (${child.status ?? child.signal}): ${child.stderr}`);
  const printed = JSON.parse(child.stdout.trim().split('\n').pop()!);
  return { ...printed, childTmp, stagingRoots: readdirSync(childTmp).filter((n) => n.startsWith('cdk-auth0-protected-api-')) };
}

test('a process that synthesizes leaves no staging folder behind when it exits', () => {
  expect(synthInChild().stagingRoots).toEqual([]);
});

test('the authorizer asset is in the cloud assembly after the synthesizing process exits', () => {
  const { assemblyDir, assetPath } = synthInChild();
  expect(isAbsolute(assetPath)).toBe(false);
  expect(readdirSync(join(assemblyDir, assetPath)).sort()).toEqual([AUTHORIZER_CONFIG_FILE, AUTHORIZER_BUNDLE_FILE].sort());
});

test('with asset staging disabled, as SAM synthesizes, the staged folder the template points to stays', () => {
  const { assetPath, stagingRoots, childTmp } = synthInChild('disable-staging');
  expect(stagingRoots).toHaveLength(1);
  expect(assetPath.startsWith(join(childTmp, stagingRoots[0]))).toBe(true);
  expect(existsSync(join(assetPath, AUTHORIZER_BUNDLE_FILE)) && existsSync(join(assetPath, AUTHORIZER_CONFIG_FILE))).toBe(true);
});
