/**
 * Checks what the language smoke tests produced (`test/languages/run.sh` runs this last):
 * - every jsii package carries the authorizer bundle, byte for byte the one in assets/authorizer/;
 * - each language's synthesized template equals the TypeScript example's, asset hashes included,
 *   and so do the staged authorizer assets (bundle plus config.json).
 * Nothing is removed before comparing, with one exception below: the apps are run directly (not by
 * the CDK CLI), so no `CDKMetadata` resource and no `aws:cdk:path` metadata are written in any language.
 *
 * Usage: ts-node test/languages/compare-templates.ts python java go
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';

const ROOT = join(__dirname, '..', '..');
/**
 * The stacks every smoke app synthesizes: the REST example, the HTTP API example, a handed-over REST
 * API and an HTTP API with the standalone authorizer.
 */
const STACKS = ['Auth0ProtectedApiExample', 'Auth0ProtectedHttpApiExample', 'Auth0ExistingApiExample', 'Auth0StandaloneAuthorizerExample'];
const BUNDLE_IN_TARBALL = 'package/assets/authorizer/index.mjs';

/** Where each language's package keeps the jsii tarball, and how to read it. */
const PACKAGES: Record<string, () => Buffer> = {
  python: () => fromZip(findFile(join(ROOT, 'dist', 'python'), /\.whl$/), /_jsii\/.*\.jsii\.tgz$/),
  java: () => fromZip(findFile(join(ROOT, 'dist', 'java'), /cdk-auth0-protected-api-[^/]*\d\.jar$/), /\.jsii\.tgz$/),
  go: () => readFileSync(findFile(join(ROOT, 'dist', 'go', 'cdkauth0protectedapi', 'jsii'), /\.tgz$/)),
};

/**
 * The one known difference, and why. Go cannot use aws-cdk-lib 2.187.0: the package is generated
 * against constructs 10.5 (`IConstruct.with(...IMixin)`), and aws-cdk-go before v2.239.0 is built on
 * constructs 10.4 and fails to compile with it (ambiguous selector `With`); the Go proxy here does not
 * serve v2.187.0 either. aws-cdk-lib 2.239.0 marks API Gateway deployments `aws:cdk:do-not-refactor`.
 */
const VERSION_DIFFERENCES: Record<string, string[]> = { go: ['aws:cdk:do-not-refactor'] };

function withoutMetadata(template: unknown, keys: string[]): { template: unknown; removed: number } {
  const copy = JSON.parse(JSON.stringify(template)) as { Resources?: Record<string, { Metadata?: Record<string, unknown> }> };
  let removed = 0;
  for (const resource of Object.values(copy.Resources ?? {})) {
    for (const key of keys) {
      if (resource.Metadata && key in resource.Metadata) {
        delete resource.Metadata[key];
        removed++;
        if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
      }
    }
  }
  return { template: copy, removed };
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function findFile(dir: string, pattern: RegExp): string {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (!existsSync(current)) continue;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (pattern.test(path)) return path;
    }
  }
  throw new Error(`no file matching ${pattern} under ${dir}: run "npx projen package-all" first`);
}

function fromZip(zip: string, member: RegExp): Buffer {
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n');
  const name = names.find((n) => member.test(n));
  if (!name) throw new Error(`${zip} holds no ${member}`);
  return execFileSync('unzip', ['-p', zip, name], { maxBuffer: 64 * 1024 * 1024 });
}

function bundleInTarball(tarball: Buffer): Buffer {
  return execFileSync('tar', ['-xzO', BUNDLE_IN_TARBALL], { input: tarball, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The templates of `stacks` and the content of every staged asset directory they deploy (an asset
 * directory `asset.<hash>` is deployed as the S3 object `<hash>.zip` the template names), by file name.
 */
function readAssembly(language: string, stacks: string[]): { template: unknown; assets: Record<string, string> } {
  const outdir = join(ROOT, 'examples', language, 'cdk.out');
  const templates: Record<string, unknown> = {};
  for (const stack of stacks) {
    const templateFile = join(outdir, `${stack}.template.json`);
    if (!existsSync(templateFile)) throw new Error(`${templateFile} is missing: the ${language} smoke app did not synthesize`);
    templates[stack] = JSON.parse(readFileSync(templateFile, 'utf8'));
  }
  const assets: Record<string, string> = {};
  const text = JSON.stringify(templates);
  for (const dir of readdirSync(outdir).filter((d) => d.startsWith('asset.') && text.includes(`${d.slice('asset.'.length)}.zip`))) {
    for (const file of readdirSync(join(outdir, dir))) assets[`${dir}/${file}`] = sha256(readFileSync(join(outdir, dir, file)));
  }
  return { template: templates, assets };
}

/** The first few paths where two JSON values differ, for a readable failure. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 10 || isDeepStrictEqual(a, b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else {
    out.push(`${path}: typescript ${JSON.stringify(a)?.slice(0, 200)} | other ${JSON.stringify(b)?.slice(0, 200)}`);
  }
  return out;
}

const languages = process.argv.slice(2);
if (languages.length === 0 || languages.some((l) => !(l in PACKAGES))) {
  console.error(`usage: compare-templates.ts <${Object.keys(PACKAGES).join('|')}>...`);
  process.exit(2);
}

const expectedBundle = sha256(readFileSync(join(ROOT, 'assets', 'authorizer', 'index.mjs')));
let failed = false;
for (const language of languages) {
  const problems: string[] = [];
  const reference = readAssembly('typescript', STACKS);
  // An empty reference would make every asset comparison pass vacuously.
  if (Object.keys(reference.assets).length === 0) problems.push('the typescript reference synthesized no staged assets');
  const shipped = sha256(bundleInTarball(PACKAGES[language]()));
  if (shipped !== expectedBundle) problems.push(`package: authorizer bundle sha256 ${shipped}, assets/authorizer/index.mjs is ${expectedBundle}`);
  const synthesized = readAssembly(language, STACKS);
  const perStack = Object.entries(synthesized.template as Record<string, unknown>)
    .map(([stack, template]) => [stack, withoutMetadata(template, VERSION_DIFFERENCES[language] ?? [])] as const);
  const normalised = {
    template: Object.fromEntries(perStack.map(([stack, n]) => [stack, n.template])),
    removed: perStack.reduce((sum, [, n]) => sum + n.removed, 0),
  };
  if (normalised.removed > 0) console.log(`${language}: removed ${normalised.removed} ${VERSION_DIFFERENCES[language].join(', ')} metadata entries (aws-cdk-lib version, see VERSION_DIFFERENCES)`);
  problems.push(...differences(reference.template, normalised.template).map((d) => `template ${d}`));
  if (!isDeepStrictEqual(reference.assets, synthesized.assets)) {
    problems.push(`staged assets differ: typescript ${JSON.stringify(reference.assets)} | ${language} ${JSON.stringify(synthesized.assets)}`);
  }
  if (problems.length > 0) failed = true;
  console.log(problems.length === 0
    ? `ok ${language}: bundle in package = assets/authorizer/index.mjs (${expectedBundle.slice(0, 12)}), templates of ${STACKS.join(', ')} and ${Object.keys(synthesized.assets).length} asset files identical to typescript`
    : `FAIL ${language}:\n  ${problems.join('\n  ')}`);
}
process.exit(failed ? 1 : 0);
