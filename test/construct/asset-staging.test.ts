import { createHash } from 'crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import * as os from 'os';
import { dirname, join } from 'path';
import { FileSystem } from 'aws-cdk-lib';
import { synthesize } from './synth';
import { AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE, stageAuthorizerAsset } from '../../src/authorizer/authorizer-asset';
import { AUTHORIZER_CONFIG_FILE, parseAuthorizerConfig } from '../../src/authorizer/authorizer-config';

/*
 * These tests plant folders in the temporary directory. They plant them in a private one of their
 * own (os.tmpdir answers it, for this file's modules only), so that no other build on this machine
 * can pick up what they plant.
 */
const mockTmp: { dir?: string } = {};
jest.mock('os', () => {
  const real = jest.requireActual<typeof import('os')>('os');
  return { ...real, tmpdir: () => mockTmp.dir ?? real.tmpdir() };
});
let privateTmp: string;
beforeAll(() => {
  privateTmp = mkdtempSync(join(os.tmpdir(), 'auth0-staging-test-'));
  mockTmp.dir = privateTmp;
});
afterAll(() => {
  mockTmp.dir = undefined;
  rmSync(privateTmp, { recursive: true, force: true });
});

const bundle = () => readFileSync(join(AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE));
const assetHashOf = (s: ReturnType<typeof synthesize>) => JSON.stringify(s.template.findResources('AWS::Lambda::Function'));

describe('staging the authorizer asset', () => {
  test('a folder planted with the expected name and other code has no effect on the synthesized asset', () => {
    // GIVEN the folder earlier versions staged in, and trusted if it held a config.json, planted with other code
    const props = { audience: 'https://planted.acme.com' };
    const first = synthesize(props);
    const configText = readFileSync(join(first.assetDir, AUTHORIZER_CONFIG_FILE));
    const name = createHash('sha256').update(bundle()).update('\0').update(configText).digest('hex').slice(0, 32);
    expect(os.tmpdir()).toBe(privateTmp);
    const planted = join(os.tmpdir(), 'cdk-auth0-protected-api', name);
    rmSync(planted, { recursive: true, force: true });
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, AUTHORIZER_BUNDLE_FILE), 'export const handler = async () => ({ principalId: "x", policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: "*" }] } });\n');
    writeFileSync(join(planted, AUTHORIZER_CONFIG_FILE), configText);

    // WHEN the same props are synthesized again
    const second = synthesize(props);

    // THEN the asset holds exactly the bundle and the configuration, and its hash has not moved
    expect(readdirSync(second.assetDir).sort()).toEqual([AUTHORIZER_CONFIG_FILE, AUTHORIZER_BUNDLE_FILE].sort());
    expect(readFileSync(join(second.assetDir, AUTHORIZER_BUNDLE_FILE)).equals(bundle())).toBe(true);
    expect(readFileSync(join(second.assetDir, AUTHORIZER_CONFIG_FILE)).equals(configText)).toBe(true);
    expect(assetHashOf(second)).toEqual(assetHashOf(first));
  });

  test('stages in a directory only this user can enter, created for this process', () => {
    const dir = stageAuthorizerAsset(synthesize({ audience: 'https://mode.acme.com' }).config);
    const root = dirname(dir);
    expect(root.startsWith(privateTmp)).toBe(true);
    expect((statSync(root).mode % 0o1000).toString(8)).toBe('700');
    expect(statSync(root).uid).toBe(process.getuid!());
  });

  test('never reuses a staged directory whose content changed after it was written', () => {
    const { config } = synthesize({ audience: 'https://tampered.acme.com' });
    const dir = stageAuthorizerAsset(config);
    writeFileSync(join(dir, AUTHORIZER_BUNDLE_FILE), 'tampered');
    const again = stageAuthorizerAsset(config);
    expect(readFileSync(join(again, AUTHORIZER_BUNDLE_FILE)).equals(bundle())).toBe(true);
    expect(parseAuthorizerConfig(readFileSync(join(again, AUTHORIZER_CONFIG_FILE), 'utf8'))).toEqual(config);
  });

  test('the asset hash depends on the content only, not on where it was staged', () => {
    // Every process stages under a new random directory: the hash must not see the path.
    const dir = stageAuthorizerAsset(synthesize({ audience: 'https://hash.acme.com' }).config);
    const elsewhere = join(mkdtempSync(join(privateTmp, 'elsewhere-')), 'copy');
    cpSync(dir, elsewhere, { recursive: true });
    expect(FileSystem.fingerprint(elsewhere)).toEqual(FileSystem.fingerprint(dir));
  });
});
