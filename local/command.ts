/**
 * `cdk-auth0-protected-api local`: synthesizes the user's CDK app (or reads its cdk.out), finds
 * every API this library protects, and serves each on 127.0.0.1 behind its authorizer asset as
 * synthesized, pointed at a local stand-in issuer. Ctrl-C, SIGTERM and an idle timeout stop it and
 * everything it started: the app while it synthesizes, authorizer and backend processes, servers.
 */
import type { ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { LocalApi, RunningApi, SynthesizedStack } from './api-kind';
import { API_KINDS } from './api-kinds';
import { resolveAssembly } from './app-assembly';
import { banner } from './banner';
import { killOnExit, stopProcessGroup } from './child-process';
import { readCloudAssembly } from './cloud-assembly';
import { COMMAND, HELP, parseLocalOptions, UsageError, type LocalOptions } from './command-options';
import { atExit } from './exit-hooks';
import { LocalIssuer } from './issuer/local-issuer';
import { FunctionRunner } from './lambda/function-runner';

export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  /** Called once everything has stopped, with the exit code. */
  readonly exit: (code: number) => void;
}

const time = () => new Date().toISOString().slice(11, 19);

/** Runs the command line `args` (after the program name). */
export async function runCommand(args: string[], io: CommandIo): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(`${HELP}\n`);
    return io.exit(sub === undefined ? 2 : 0);
  }
  if (sub !== 'local') {
    io.err(`${COMMAND}: unknown command ${sub}\n\n${HELP}\n`);
    return io.exit(2);
  }
  let options: LocalOptions | undefined;
  try {
    options = parseLocalOptions(rest, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${COMMAND} local: ${e.message}\nRun "${COMMAND} local --help" for the options.\n`);
    return io.exit(2);
  }
  if (!options) {
    io.out(`${HELP}\n`);
    return io.exit(0);
  }
  await serve(options, io);
}

async function serve(options: LocalOptions, io: CommandIo): Promise<void> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'cdk-auth0-protected-api-local-'));
  // Should this process die before stop() runs, its folder goes with it.
  const cancelCleanup = atExit(() => rmSync(workDir, { recursive: true, force: true }));
  const functions = new FunctionRunner({ onLog: options.quiet ? undefined : (id, line) => io.out(`${time()} [${id}] ${line}\n`) });
  const running: RunningApi[] = [];
  let issuer: LocalIssuer | undefined;
  let synthChild: ChildProcess | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping = false;

  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    clearTimeout(idleTimer);
    clearInterval(parentWatch);
    io.out(`\nStopping (${why}).\n`);
    if (synthChild) await stopProcessGroup(synthChild);
    await Promise.allSettled(running.map((r) => r.stop()));
    await functions.stop();
    await issuer?.stop();
    rmSync(workDir, { recursive: true, force: true });
    cancelCleanup();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
    io.exit(code);
  };
  // A bug of ours must not leave servers, processes and folders behind, nor die silently: report it
  // and stop everything as Ctrl-C does.
  const onFatal = (e: unknown) => {
    io.err(`${COMMAND} local: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    void stop('an internal error', 1);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  const onInt = () => void stop('Ctrl-C', 0);
  const onTerm = () => void stop('SIGTERM', 0);
  const onHup = () => void stop('the terminal closed', 0);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  // A wrapper that exits without passing the signal on (npx does, outside a terminal) would orphan
  // this process and its servers: stop when the parent changes.
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) void stop('the parent process exited', 0);
  }, 1_000);
  const resetIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stop(`no request for ${options.idleMinutes} minutes`, 0), options.idleMinutes * 60_000);
  };

  try {
    const assemblyDir = await resolveAssembly({
      appDir: options.appDir,
      app: options.app,
      cdkOut: options.cdkOut,
      forceSynth: options.synth,
      workDir,
      out: io.out,
      onStart: (child) => {
        synthChild = child;
        killOnExit(child, true);
      },
    });
    synthChild = undefined;
    if (stopping) return;
    const found = readCloudAssembly(assemblyDir);
    const wanted = (s: SynthesizedStack) => options.stacks.length === 0
      || options.stacks.some((name) => s.stackName.includes(name) || s.displayName.includes(name));
    const stacks = found.filter(wanted);
    if (stacks.length === 0 && options.stacks.length > 0) {
      const names = found.map((s) => (s.displayName === s.stackName ? s.stackName : `${s.stackName} (${s.displayName})`));
      throw new Error(`--stack ${options.stacks.join(', ')} matches none of the ${found.length} stack(s) of ${assemblyDir}: ${names.join(', ') || '(none)'}`);
    }
    const apis: LocalApi[] = stacks.flatMap((stack) => API_KINDS.flatMap((kind) => kind.find(stack)));
    if (apis.length === 0) {
      throw new Error(`no API protected by cdk-auth0-protected-api in ${stacks.length} stack(s) of ${assemblyDir}`
        + (options.stacks.length > 0 ? ` matching --stack ${options.stacks.join(', ')}` : ''));
    }
    const audiences = [...new Set(apis.flatMap((a) => a.authorizerConfigs.map((c) => c.audience)))];
    issuer = await LocalIssuer.start({
      port: options.issuerPort,
      audiences,
      defaultAudience: audiences.length === 1 ? audiences[0] : undefined,
      onLog: options.quiet ? undefined : (line) => io.out(`${time()} [issuer] ${line}\n`),
    });
    const served = [];
    for (const [i, api] of apis.entries()) {
      const run = await api.serve({
        issuer,
        port: options.port === 0 ? 0 : options.port + i,
        functions,
        workDir,
        log: options.quiet ? () => undefined : (line) => io.out(`${time()} ${line}\n`),
        onActivity: resetIdle,
      });
      running.push(run);
      served.push({ api, baseUrl: run.baseUrl });
    }
    for (const warning of apis.flatMap((a) => a.warnings())) io.out(`Note: ${warning}\n`);
    io.out(banner(issuer, served, options.idleMinutes, io.cwd));
    io.out(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    resetIdle();
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    const message = error.code === 'EADDRINUSE' ? `a port is in use (${error.message}); choose others with --port and --issuer-port, or 0 for any free port` : error.message;
    io.err(`${COMMAND} local: ${message}\n`);
    await stop('start-up failed', 1);
  }
}
