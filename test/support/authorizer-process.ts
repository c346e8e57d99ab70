/**
 * The shipped authorizer bundle in a child Node.js process, called the way Lambda calls it.
 * jest runs tests as CommonJS and cannot import the ESM bundle, and a separate process also gives
 * each test a real cold start: module-scope code (config load, JWKS warm-up) runs for real.
 */
import { fork, type ChildProcess } from 'child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { stopChild } from '../../local/child-process';
import { AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE, stageAuthorizerAsset } from '../../src/authorizer-asset';
import { AUTHORIZER_CONFIG_FILE, type AuthorizerConfig } from '../../src/authorizer-config';

/** What one invocation produced: the handler's result, or the message it rejected with. */
export type InvocationOutcome =
  | { readonly ok: APIGatewayAuthorizerResult }
  | { readonly error: string; readonly errorType?: string };

export interface StartOptions {
  /** Milliseconds to wait for the module to load (config and JWKS warm-up). Default 10 000. */
  readonly startTimeoutMs?: number;
  /** Milliseconds to wait for each invocation. Default 5 000. */
  readonly invokeTimeoutMs?: number;
  /** Extra environment variables for the child. */
  readonly env?: Record<string, string>;
  /**
   * Send every invocation through the Lambda runtime's own loop (one at a time, as on Lambda), so
   * the runtime's own lines (`Invoke Error` for each rejection) are in the output too. Default: the
   * handler is called directly, several at once if the test sends them at once; the authorizer's
   * own lines are formatted by the runtime either way.
   */
  readonly throughRuntime?: boolean;
  /** Start the child with `--expose-gc`, so {@link AuthorizerProcess.memoryUsage} measures after a full collection. */
  readonly exposeGc?: boolean;
}

/** The child's `process.memoryUsage()`, in bytes. */
export interface ChildMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

const HOST_SCRIPT = join(__dirname, 'authorizer-host.mjs');
/** Written by the host to stdout and stderr after each invocation; never part of captured output. */
const MARK = '\u0000authorizer-host-done:';

interface Waiter {
  resolve: (o: InvocationOutcome) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  outcome?: InvocationOutcome;
  stdoutDone: boolean;
  stderrDone: boolean;
}

export class AuthorizerProcess {
  /** Stages the bundle with `config` exactly as the construct does, then starts it. */
  public static async start(config: AuthorizerConfig, options: StartOptions = {}): Promise<AuthorizerProcess> {
    return AuthorizerProcess.startInDirectory(stageAuthorizerAsset(config), options);
  }

  /**
   * Starts the bundle beside a `config.json` holding exactly `configText` (e.g. a malformed one),
   * or with no `config.json` at all when `configText` is `undefined`.
   */
  public static async startWithRawConfig(configText: string | undefined, options: StartOptions = {}): Promise<AuthorizerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'authorizer-raw-'));
    copyFileSync(join(AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE), join(dir, AUTHORIZER_BUNDLE_FILE));
    if (configText !== undefined) writeFileSync(join(dir, AUTHORIZER_CONFIG_FILE), configText);
    try {
      const host = await AuthorizerProcess.startInDirectory(dir, options);
      host.removeOnStop = true;
      return host;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Starts the bundle in an already staged asset directory. */
  public static async startInDirectory(dir: string, options: StartOptions = {}): Promise<AuthorizerProcess> {
    // The log format the construct configures for the authorizer function.
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_LAMBDA_LOG_FORMAT: 'JSON', ...options.env };
    // Set on this machine, not on Lambda: the bundle must not depend on it.
    delete env.NODE_EXTRA_CA_CERTS;
    delete env.NODE_OPTIONS;
    const child = fork(HOST_SCRIPT, [dir], {
      cwd: tmpdir(),
      env,
      execArgv: options.exposeGc ? ['--expose-gc'] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const host = new AuthorizerProcess(child, dir, options.invokeTimeoutMs ?? 5_000, options.throughRuntime ?? false);
    await host.ready(options.startTimeoutMs ?? 10_000);
    return host;
  }

  /** Set when the module failed to load; every invocation then fails. */
  public initError: string | undefined;
  /** Whether {@link stop} deletes the asset directory (one this class created). */
  private removeOnStop = false;

  private stdoutText = '';
  private stderrText = '';
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  private stdoutPartial = '';
  private stderrPartial = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    public readonly assetDir: string,
    private readonly invokeTimeoutMs: number,
    private readonly throughRuntime: boolean,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.receive('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.receive('stderr', chunk));
    child.on('message', (message: { id?: number } & Record<string, unknown>) => {
      if (typeof message.id !== 'number') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      const { id: _id, ...outcome } = message;
      waiter.outcome = outcome as unknown as InvocationOutcome;
      this.complete(message.id);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const [, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`authorizer process exited (${code ?? signal}) during an invocation\n${this.output}`));
      }
      this.pending.clear();
    });
  }

  /** Everything the bundle wrote to stdout (complete lines; with a partial last line). */
  public get stdout(): string {
    return this.stdoutText + this.stdoutPartial;
  }

  /** Everything the bundle wrote to stderr (console.warn and console.error). */
  public get stderr(): string {
    return this.stderrText + this.stderrPartial;
  }

  /** stdout and stderr together. */
  public get output(): string {
    return this.stdout + this.stderr;
  }

  /**
   * The authorizer's own log events: each runtime record whose `message` is an object (what the
   * authorizer logs), as that object with the record's `level` (`WARN`, `ERROR`, ...) added.
   */
  public logLines(): Record<string, unknown>[] {
    return this.logRecords().flatMap((record) => {
      const message = record.message;
      return typeof message === 'object' && message !== null && !Array.isArray(message)
        ? [{ level: record.level, ...(message as Record<string, unknown>) }]
        : [];
    });
  }

  /** Every output line that is a JSON object, parsed: the runtime's `{ timestamp, level, requestId, message }` records. */
  public logRecords(): Record<string, unknown>[] {
    return this.output.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  /** Forgets captured output, so a test sees only its own lines. */
  public clearOutput(): void {
    this.stdoutText = '';
    this.stderrText = '';
  }

  /** Calls the handler with `event`; resolves with its result or rejection message. */
  public async invoke(event: APIGatewayRequestAuthorizerEvent): Promise<InvocationOutcome> {
    if (this.exited) throw new Error('authorizer process has exited');
    const id = this.nextId++;
    return new Promise<InvocationOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`authorizer invocation ${id} took longer than ${this.invokeTimeoutMs} ms`));
      }, this.invokeTimeoutMs);
      this.pending.set(id, { resolve, reject, timer, stdoutDone: false, stderrDone: false });
      this.child.send({ type: 'invoke', id, event, runtime: this.throughRuntime });
    });
  }

  /** The child's memory, measured after a full garbage collection when started with `exposeGc`. */
  public async memoryUsage(): Promise<ChildMemory> {
    if (this.exited) throw new Error('authorizer process has exited');
    return new Promise<ChildMemory>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error('authorizer process did not report its memory within 5 000 ms'));
      }, 5_000);
      const onMessage = (message: { type?: string; memory?: ChildMemory }) => {
        if (message.type !== 'memory' || !message.memory) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message.memory);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'memory' });
    });
  }

  /** Whether the child process is still running (it has not crashed). */
  public get alive(): boolean {
    return !this.exited;
  }

  public async stop(): Promise<void> {
    if (!this.exited) await stopChild(this.child);
    if (this.removeOnStop) rmSync(this.assetDir, { recursive: true, force: true });
  }


  /** Splits output into lines, keeping real ones and noting the host's end-of-invocation markers. */
  private receive(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = (stream === 'stdout' ? this.stdoutPartial : this.stderrPartial) + chunk;
    const lines = text.split('\n');
    const partial = lines.pop() ?? '';
    if (stream === 'stdout') this.stdoutPartial = partial;
    else this.stderrPartial = partial;
    for (const line of lines) {
      if (line.startsWith(MARK)) {
        const id = Number(line.slice(MARK.length));
        const waiter = this.pending.get(id);
        if (waiter) {
          if (stream === 'stdout') waiter.stdoutDone = true;
          else waiter.stderrDone = true;
          this.complete(id);
        }
      } else if (stream === 'stdout') {
        this.stdoutText += `${line}\n`;
      } else {
        this.stderrText += `${line}\n`;
      }
    }
  }

  /** Resolves an invocation once its outcome and both markers have arrived. */
  private complete(id: number): void {
    const waiter = this.pending.get(id);
    if (!waiter || !waiter.outcome || !waiter.stdoutDone || !waiter.stderrDone) return;
    this.pending.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve(waiter.outcome);
  }

  private async ready(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { type?: string; initError?: string }) => {
        if (message.type !== 'ready') return;
        cleanup();
        this.initError = message.initError;
        resolve();
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`authorizer process exited (${code}) before it was ready\n${this.output}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        this.child.kill('SIGKILL');
        reject(new Error(`authorizer process was not ready within ${timeoutMs} ms\n${this.output}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }
}
