/**
 * Runs the Lambda functions of a synthesized app on this machine, each in its own child process
 * started on first use: Node.js functions only, from the code `cdk synth` staged (the asset folder,
 * including what NodejsFunction bundled, or inline `ZipFile` code written out as `index.js`, as
 * Lambda does). A function it cannot run is reported with the reason, never approximated.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InvocationTimeoutError, LambdaProcess, type InvocationOutcome } from './lambda-process';
import { atExit } from '../exit-hooks';

/** What the runner needs to know of a function (a template's `AWS::Lambda::Function`). */
export interface RunnableFunction {
  readonly logicalId: string;
  readonly handler: string;
  readonly runtime: string;
  /** Literal environment variables. */
  readonly environment: Record<string, string>;
  /** Variables whose value is not a literal (a reference resolved only at deployment). */
  readonly unresolvedEnvironment: string[];
  /** `Timeout`, in seconds; Lambda's default is 3. */
  readonly timeoutSeconds: number;
  /** `LoggingConfig.LogFormat`: `JSON` or `Text` (Lambda's default). */
  readonly logFormat: string;
  /** The code asset directory the function deploys, from the `aws:asset:path` metadata. */
  readonly assetDir?: string;
  /** Inline code (`Code.ZipFile`). */
  readonly inlineCode?: string;
}

/**
 * An invocation that ran out of time: the function's own `Timeout` (Lambda reports a function
 * error), or first the integration's timeout (API Gateway gives up and answers by itself). The
 * process was killed either way; the next invocation starts a fresh one, as Lambda starts a new
 * execution environment.
 */
export class FunctionTimeoutError extends Error {
  constructor(functionId: string, timeoutMs: number, public readonly byIntegration: boolean) {
    super(`function ${functionId} did not answer within ${timeoutMs} ms (${byIntegration ? 'the integration timeout' : 'its Timeout'}); its process was killed`);
  }
}

export interface InvokeOptions {
  /** The integration's timeout in milliseconds, when API Gateway would give up before the function's own Timeout. */
  readonly integrationTimeoutMs?: number;
}

export interface FunctionRunnerOptions {
  /** Receives each line a function writes (its logs), prefixed by nothing. */
  readonly onLog?: (functionId: string, line: string) => void;
}

/**
 * The environment variables Lambda sets for every function, without the credentials it also sets;
 * and, so that an AWS SDK in the function finds none of the developer's by accident, `home` (an
 * empty folder) as HOME, no shared credentials or config file and no instance metadata service.
 * The function's own literal variables come last and win.
 */
function lambdaEnvironment(fn: RunnableFunction, home: string): Record<string, string> {
  return {
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.assetDir ?? '',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // What Lambda sets from LoggingConfig.LogFormat.
    ...(fn.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
    ...fn.environment,
  };
}

/** Why `fn` cannot run on this machine, or `undefined` when it can. */
export function functionProblem(fn: RunnableFunction): string | undefined {
  if (typeof fn.runtime !== 'string' || !fn.runtime.startsWith('nodejs')) return `function ${fn.logicalId} runs on ${String(fn.runtime)}; only Node.js functions run locally`;
  if (fn.inlineCode !== undefined) return /^index\.[\w$]+$/.test(fn.handler) ? undefined : `function ${fn.logicalId}: inline code is index.js, but its handler is ${fn.handler}`;
  if (fn.assetDir === undefined) return `function ${fn.logicalId} has neither inline code nor a code asset this app staged (no aws:asset:path metadata: code from S3 or an image)`;
  if (!existsSync(fn.assetDir)) return `function ${fn.logicalId}: its code asset ${fn.assetDir} is missing`;
  if (!statSync(fn.assetDir).isDirectory()) return `function ${fn.logicalId}: its code asset is a file (${fn.assetDir}), not a folder; zip archives are not unpacked locally`;
  return undefined;
}

export class FunctionRunner {
  private readonly started = new Map<string, Promise<LambdaProcess>>();
  private readonly inlineDirs: string[] = [];
  private home: string | undefined;

  public constructor(private readonly options: FunctionRunnerOptions = {}) {
    // Should the process die before stop(), its folders go with it.
    atExit(() => this.removeDirs());
  }

  /** Why `fn` cannot run on this machine, or `undefined` when it can. */
  public problem(fn: RunnableFunction): string | undefined {
    return functionProblem(fn);
  }

  /**
   * Invokes `fn` with `event`; throws with the reason when it cannot run, a
   * {@link FunctionTimeoutError} when it runs out of time, or an error naming the exit code when its
   * process dies during the invocation. A process that timed out or exited is replaced on the next call.
   */
  public async invoke(fn: RunnableFunction, event: unknown, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    const process = await this.process(fn);
    const functionMs = fn.timeoutSeconds * 1000;
    const byIntegration = options.integrationTimeoutMs !== undefined && options.integrationTimeoutMs < functionMs;
    const limitMs = byIntegration ? options.integrationTimeoutMs! : functionMs;
    try {
      return await process.invoke(event, limitMs);
    } catch (e) {
      if (e instanceof InvocationTimeoutError) throw new FunctionTimeoutError(fn.logicalId, limitMs, byIntegration);
      throw e;
    } finally {
      this.forwardLogs(fn.logicalId, process);
    }
  }

  /** Starts `fn` now rather than on its first request. */
  public async warm(fn: RunnableFunction): Promise<void> {
    await this.process(fn);
  }

  public async stop(): Promise<void> {
    const processes = await Promise.allSettled(this.started.values());
    await Promise.all(processes.map((p) => (p.status === 'fulfilled' ? p.value.stop() : undefined)));
    this.started.clear();
    this.removeDirs();
  }

  private removeDirs(): void {
    for (const dir of this.inlineDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    if (this.home) rmSync(this.home, { recursive: true, force: true });
    this.home = undefined;
  }

  private async process(fn: RunnableFunction): Promise<LambdaProcess> {
    const problem = this.problem(fn);
    if (problem) throw new Error(problem);
    // Two stacks of one app may hold functions of the same logical ID with different code (the
    // example app's REST and HTTP API stacks both have a `Backend`): one process per function as defined.
    const key = this.keyOf(fn);
    let started = this.started.get(key);
    if (started) {
      const current = await started.catch(() => undefined);
      if (current?.alive) return current;
      // It crashed, or was killed after a timeout: start a fresh one, unless a concurrent call already did.
      if (this.started.get(key) !== started) return this.process(fn);
      this.started.delete(key);
    }
    started = LambdaProcess.start(this.codeDir(fn), {
      handler: fn.handler,
      functionName: fn.logicalId,
      baseEnv: {},
      env: lambdaEnvironment(fn, this.home ??= mkdtempSync(join(tmpdir(), 'local-function-home-'))),
      invokeTimeoutMs: fn.timeoutSeconds * 1000,
      startTimeoutMs: 10_000,
    });
    this.started.set(key, started);
    const mine = started;
    started.catch(() => {
      if (this.started.get(key) === mine) this.started.delete(key);
    });
    return started;
  }

  private keyOf(fn: RunnableFunction): string {
    return JSON.stringify([fn.logicalId, fn.assetDir, fn.inlineCode, fn.handler, fn.environment]);
  }

  private codeDir(fn: RunnableFunction): string {
    if (fn.inlineCode === undefined) return fn.assetDir!;
    // Lambda writes a Node.js function's ZipFile code to index.js.
    const dir = mkdtempSync(join(tmpdir(), 'local-inline-'));
    this.inlineDirs.push(dir);
    writeFileSync(join(dir, 'index.js'), fn.inlineCode);
    return dir;
  }

  private forwardLogs(functionId: string, process: LambdaProcess): void {
    const onLog = this.options.onLog;
    if (onLog) for (const line of process.output.split('\n')) if (line.trim() !== '') onLog(functionId, line);
    process.clearOutput();
  }
}
