/**
 * The user's app as `cdk synth` leaves it: synthesized here by running the `app` command from
 * cdk.json (no CDK CLI needed: the CLI itself only runs that command with CDK_OUTDIR and the
 * context in CDK_CONTEXT_JSON), or read from an existing cloud assembly (cdk.out), stages included.
 * https://docs.aws.amazon.com/cdk/v2/guide/apps.html#apps_cloud_assembly
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import type { SynthesizedStack } from './api-kind';
import { stopProcessGroup } from './child-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SynthOptions {
  /** The CDK app's folder (where cdk.json is). */
  readonly appDir: string;
  /** The command that runs the app; default the `app` of cdk.json. */
  readonly app?: string;
  readonly outdir: string;
  /** Receives the app's output lines. */
  readonly onOutput?: (line: string) => void;
  /** Called with the app's process once started, so Ctrl-C can stop it. */
  readonly onStart?: (child: ChildProcess) => void;
  /** Abort after this long. Default 5 minutes. */
  readonly timeoutMs?: number;
}

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** The command that runs the app, the context it is given, and cdk.json as read. */
export function synthesisContext(appDir: string, appOverride?: string): { app: string; context: Record<string, unknown>; cdkJson: Json } {
  const cdkJsonPath = join(appDir, 'cdk.json');
  const cdkJson = existsSync(cdkJsonPath) ? readJson(cdkJsonPath) : {};
  const app = appOverride ?? cdkJson.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new Error(`no app to synthesize: ${existsSync(cdkJsonPath) ? `${cdkJsonPath} has no "app"` : `${cdkJsonPath} does not exist`}; pass --app "<command>" or --cdk-out <dir>`);
  }
  const contextFile = join(appDir, 'cdk.context.json');
  const context = {
    ...(existsSync(contextFile) ? readJson(contextFile) : {}),
    ...(cdkJson.context ?? {}),
    // What the CDK CLI sets by default: the asset folders are how the command finds the code.
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
  };
  return { app, context, cdkJson };
}

/** Runs the app once; resolves with the assembly directory. */
export async function synthesize(options: SynthOptions): Promise<string> {
  const { app, context } = synthesisContext(options.appDir, options.app);
  const child = spawn(app, {
    cwd: options.appDir,
    shell: true,
    env: { ...process.env, CDK_OUTDIR: resolve(options.outdir), CDK_CONTEXT_JSON: JSON.stringify(context) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it stops what it started (npx, ts-node).
    detached: true,
  });
  options.onStart?.(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-20_000);
    for (const line of text.split('\n')) if (line.trim() !== '') options.onOutput?.(line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const code = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      void stopProcessGroup(child);
      fail(new Error(`the app (${app}) did not finish synthesizing within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      done(exitCode);
    });
  });
  if (code !== 0) throw new Error(`the app (${app}) exited with ${code}:\n${output.trim()}`);
  if (!existsSync(join(options.outdir, 'manifest.json'))) throw new Error(`the app (${app}) wrote no cloud assembly to ${options.outdir}: does it call app.synth()?`);
  return options.outdir;
}

/** Every stack of the cloud assembly in `dir`, nested assemblies (stages) included. */
export function readCloudAssembly(dir: string, depth = 0): SynthesizedStack[] {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${dir} is not a cloud assembly (no manifest.json); synthesize first or drop --cdk-out`);
  const manifest = readJson(manifestPath);
  const stacks: SynthesizedStack[] = [];
  const assetPaths = fileAssetPaths(dir);
  for (const [id, artifact] of Object.entries<Json>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = join(dir, artifact.properties.templateFile);
      stacks.push({
        stackName: artifact.properties.stackName ?? id,
        displayName: artifact.displayName ?? id,
        template: readJson(templateFile),
        assemblyDir: dir,
        templateFile,
        assetPaths,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && depth < 8) {
      stacks.push(...readCloudAssembly(join(dir, artifact.properties.directoryName), depth + 1));
    }
  }
  return stacks;
}

/**
 * S3 object key → staged folder, from the asset manifests: how a function's code is found when the
 * app was synthesized without asset metadata (`node app.js` rather than `cdk synth`).
 */
function fileAssetPaths(dir: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = readJson(join(dir, file));
    for (const asset of Object.values<Json>(manifest.files ?? {})) {
      if (typeof asset.source?.path !== 'string') continue;
      for (const destination of Object.values<Json>(asset.destinations ?? {})) {
        if (typeof destination.objectKey === 'string') paths.set(destination.objectKey, join(dir, asset.source.path));
      }
    }
  }
  return paths;
}
