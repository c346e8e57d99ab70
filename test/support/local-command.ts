/**
 * The bundled `cdk-auth0-protected-api` command (assets/local/cli.js, what the package ships) run as
 * a child process, for tests that check it over real HTTP, sockets and /proc.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const CLI = join(__dirname, '..', '..', 'assets', 'local', 'cli.js');

export interface RunningCommand {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Ctrl-C, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `cli.js local <args>` in `cwd`; resolves once it prints "Ready", or rejects with its output. */
export async function startLocalCommand(
  args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, readyWithinMs = 60_000,
): Promise<RunningCommand> {
  const child = spawn(process.execPath, [CLI, 'local', ...args], { cwd, env });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + readyWithinMs;
  while (!/Ready in [\d.]+ s/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the command exited (${child.exitCode}) before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the command was not ready within ${readyWithinMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Every process descending from `pid`, read from /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while reading.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Whether a process `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
