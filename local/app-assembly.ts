/**
 * The cloud assembly the command serves: the one given with `--cdk-out`; or the app synthesized
 * now, with a progress line while it runs; or, for the edit-and-retry loop, the assembly this
 * command synthesized last time, reused while the app folder, its app command and context, and its
 * source files (names, sizes, modification times: see source-freshness.ts) are what they were when
 * that synthesis started. Synthesizing a TypeScript app through ts-node takes seconds; reading
 * an assembly, a fraction of one. `--synth` always synthesizes.
 *
 * The reusable assembly is kept in the app's `node_modules/.cache/cdk-auth0-protected-api/` (the
 * usual place for tool caches, ignored by git); an app folder without node_modules is synthesized
 * into the command's temporary folder every time.
 */
import type { ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { synthesisContext, synthesize } from './cloud-assembly';
import { sourceFingerprint } from './source-freshness';

export interface AssemblyRequest {
  readonly appDir: string;
  readonly app?: string;
  readonly cdkOut?: string;
  /** Synthesize even when a reusable assembly is fresh. */
  readonly forceSynth: boolean;
  /** The command's temporary folder (used when the app has no node_modules). */
  readonly workDir: string;
  readonly out: (text: string) => void;
  readonly onStart: (child: ChildProcess) => void;
}

interface Stamp {
  /**
   * Hash of the app folder (its real path: node_modules, and with it this cache, can be one folder
   * shared by several app folders through a symlink), the app command, the context it was given,
   * and the source fingerprint taken before the synthesis started (a file changed during it counts
   * as changed).
   */
  readonly key: string;
  /** When the synthesis that wrote the assembly started, for the message. */
  readonly startedAt: number;
}

const STAMP = 'synthesized.json';

export async function resolveAssembly(request: AssemblyRequest): Promise<string> {
  if (request.cdkOut !== undefined) return resolve(request.appDir, request.cdkOut);
  const { app, context, cdkJson } = synthesisContext(request.appDir, request.app);
  const cacheDir = existsSync(join(request.appDir, 'node_modules')) ? join(request.appDir, 'node_modules', '.cache', 'cdk-auth0-protected-api') : undefined;
  const cached = cacheDir ? join(cacheDir, 'cdk.out') : undefined;
  // Taken before synthesizing: a file changed while the app runs makes the next start synthesize.
  const key = cacheDir ? createHash('sha256').update(JSON.stringify([
    realpathSync(request.appDir), app, context, sourceFingerprint(request.appDir, cdkJson.watch).fingerprint,
  ])).digest('hex') : '';

  if (cacheDir && cached && !request.forceSynth) {
    const stamp = readStamp(join(cacheDir, STAMP));
    if (stamp?.key === key && existsSync(join(cached, 'manifest.json'))) {
      request.out(`Reusing the app as synthesized at ${new Date(stamp.startedAt).toTimeString().slice(0, 8)}: no source file changed since (--synth to synthesize anyway).\n`);
      return cached;
    }
  }

  const startedAt = Date.now();
  const outdir = cacheDir ? join(cacheDir, `cdk.out.${process.pid}`) : join(request.workDir, 'cdk.out');
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  request.out(`Synthesizing ${resolve(request.appDir)} ("${app}") ...\n`);
  // A TypeScript app through ts-node takes a while: say that it is still running.
  const ticker = setInterval(() => request.out(`  still synthesizing (${Math.round((Date.now() - startedAt) / 1000)} s)\n`), 3_000);
  try {
    await synthesize({ appDir: request.appDir, app: request.app, outdir, onStart: request.onStart });
  } catch (e) {
    if (cacheDir) rmSync(outdir, { recursive: true, force: true });
    throw e;
  } finally {
    clearInterval(ticker);
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  if (!cacheDir || !cached) {
    request.out(`Synthesized in ${seconds} s.\n`);
    return outdir;
  }
  // Replace the kept assembly only once the new one is complete, and drop the old stamp first, so
  // that an interrupted replacement never pairs one app's stamp with another's assembly.
  rmSync(join(cacheDir, STAMP), { force: true });
  rmSync(cached, { recursive: true, force: true });
  renameSync(outdir, cached);
  writeFileSync(join(cacheDir, STAMP), JSON.stringify({ key, startedAt } satisfies Stamp));
  request.out(`Synthesized in ${seconds} s; kept in ${relative(request.appDir, cached) || '.'} for the next start while no source file changes.\n`);
  return cached;
}

function readStamp(path: string): Stamp | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Stamp>;
    return typeof parsed.key === 'string' && typeof parsed.startedAt === 'number' ? { key: parsed.key, startedAt: parsed.startedAt } : undefined;
  } catch {
    return undefined;
  }
}
