/**
 * One Lambda function's code in a child Node.js process, called the way Lambda calls it: the
 * authorizer bundle exactly as synthesized, or a backend's staged asset or inline code. A separate
 * process gives a real cold start (module-scope code runs for real), keeps a backend's crash or
 * hang away from the gateway, and lets jest (CommonJS) run ES module bundles.
 */
import { fork, type ChildProcess } from 'child_process';
import { rmSync } from 'fs';
import { tmpdir } from 'os';
import { killOnExit, signalGroup, stopProcessGroup } from '../child-process';
import { LAMBDA_HOST_SCRIPT } from '../lambda-host-script';

/**
 * An invocation that did not finish in time. Its process has been killed, as Lambda ends an
 * execution environment whose invocation timed out; the next invocation needs a new process.
 */
export class InvocationTimeoutError extends Error {
  constructor(public readonly timeoutMs: number) {
    super(`function invocation took longer than ${timeoutMs} ms; its process was killed`);
  }
}

/** What one invocation produced: the handler's result, or the message it rejected with. */
export type InvocationOutcome<Result = unknown> =
  | { readonly ok: Result }
  | { readonly error: string; readonly errorType?: string };

export interface StartOptions {
  /**
   * The host script (default: local/lambda-host.mjs). The authorizer tests use one that runs the
   * code under Lambda's own runtime interface client; it speaks the same IPC protocol.
   */
  readonly hostScript?: string;
  /** Extra fields of every invoke message, for the host script. */
  readonly invokeFields?: Record<string, unknown>;
  /** `file.export`, as the function's `Handler` property. Default `index.handler`. */
  readonly handler?: string;
  /** The function's name, for its context object. Default `function`. */
  readonly functionName?: string;
  /** Delete the code directory on {@link LambdaProcess.stop} (one the caller created for this process). */
  readonly removeDirOnStop?: boolean;
  /** Milliseconds to wait for the module to load (config and JWKS warm-up). Default 10 000. */
  readonly startTimeoutMs?: number;
  /** Milliseconds to wait for each invocation. Default 5 000. */
  readonly invokeTimeoutMs?: number;
  /** The environment the child starts from. Default: this process's. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Extra environment variables for the child. */
  readonly env?: Record<string, string>;
  /** The `node` binary the child runs on. Default: the one running this process. */
  readonly execPath?: string;
  /** Start the child with `--expose-gc`, so {@link LambdaProcess.memoryUsage} measures after a full collection. */
  readonly exposeGc?: boolean;
}

/** The child's `process.memoryUsage()`, in bytes. */
export interface ChildMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

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

export class LambdaProcess<Result = unknown> {
  /** Starts the function whose code is in `dir`; resolves once its module has loaded (or failed to). */
  public static async start<R = unknown>(dir: string, options: StartOptions = {}): Promise<LambdaProcess<R>> {
    const base: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env) };
    // Set on this machine, not on Lambda: the code must not depend on it.
    delete base.NODE_EXTRA_CA_CERTS;
    delete base.NODE_OPTIONS;
    const env: NodeJS.ProcessEnv = { ...base, ...options.env };
    const invokeTimeoutMs = options.invokeTimeoutMs ?? 5_000;
    const child = fork(options.hostScript ?? LAMBDA_HOST_SCRIPT, [dir, options.handler ?? 'index.handler', options.functionName ?? 'function', String(invokeTimeoutMs)], {
      cwd: tmpdir(),
      env,
      execArgv: options.exposeGc ? ['--expose-gc'] : [],
      ...(options.execPath ? { execPath: options.execPath } : {}),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      // Its own process group: an execution environment ends with everything in it, so whatever
      // the handler spawned is killed with the function process (see signalGroup).
      detached: true,
    });
    killOnExit(child, true);
    const host = new LambdaProcess<R>(child, dir, invokeTimeoutMs, options.invokeFields ?? {});
    host.removeOnStop = options.removeDirOnStop ?? false;
    try {
      await host.ready(options.startTimeoutMs ?? 10_000);
    } catch (e) {
      await host.stop();
      throw e;
    }
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
    private readonly invokeFields: Record<string, unknown>,
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
      // A function process that exited by itself (a crash, process.exit) takes what it started with it.
      signalGroup(child);
      for (const [, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`function process exited (${code ?? signal}) during an invocation\n${this.output}`));
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
   * The function's own log events: each JSON log record (`{ timestamp, level, requestId, message }`)
   * whose `message` is an object, as that object with the record's `level` added; and any other
   * line that is a JSON object, as it is (a function logging JSON text itself).
   */
  public logLines(): Record<string, unknown>[] {
    return this.logRecords().flatMap((record) => {
      const message = record.message;
      if (typeof message === 'object' && message !== null && !Array.isArray(message)) return [{ level: record.level, ...(message as Record<string, unknown>) }];
      return 'timestamp' in record && 'message' in record ? [] : [record];
    });
  }

  /** Every output line that is a JSON object, parsed. */
  public logRecords(): Record<string, unknown>[] {
    return this.output.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? [parsed as Record<string, unknown>] : [];
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

  /**
   * Calls the handler with `event`; resolves with its result or rejection message. After
   * `timeoutMs` (default: the process's invoke timeout) it rejects with an {@link InvocationTimeoutError}
   * and kills the process: a handler stuck in a loop would otherwise spin on.
   */
  public async invoke(event: unknown, timeoutMs = this.invokeTimeoutMs): Promise<InvocationOutcome<Result>> {
    if (this.exited) throw new Error('function process has exited');
    const id = this.nextId++;
    return new Promise<InvocationOutcome<Result>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.exited = true;
        signalGroup(this.child);
        reject(new InvocationTimeoutError(timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (o: InvocationOutcome) => void, reject, timer, stdoutDone: false, stderrDone: false });
      this.child.send({ ...this.invokeFields, type: 'invoke', id, event });
    });
  }

  /** The child's memory, measured after a full garbage collection when started with `exposeGc`. */
  public async memoryUsage(): Promise<ChildMemory> {
    if (this.exited) throw new Error('function process has exited');
    return new Promise<ChildMemory>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error('function process did not report its memory within 5 000 ms'));
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
  /** The child's process id (for example to read which binary it runs). */
  public get pid(): number | undefined {
    return this.child.pid;
  }

  public get alive(): boolean {
    return !this.exited;
  }

  public async stop(): Promise<void> {
    if (!this.exited) await stopProcessGroup(this.child);
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
        reject(new Error(`function process exited (${code}) before it was ready\n${this.output}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        signalGroup(this.child);
        reject(new Error(`function process was not ready within ${timeoutMs} ms\n${this.output}`));
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
