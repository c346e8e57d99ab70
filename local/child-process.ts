import type { ChildProcess } from 'child_process';
import { atExit } from './exit-hooks';

/**
 * Kills `child` (with `group`, its whole process group) if this process exits while it runs, a
 * crash included: no function process is left behind, spinning or not.
 */
export function killOnExit(child: ChildProcess, group = false): void {
  const cancel = atExit(() => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(group ? -child.pid : child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  });
  child.once('exit', cancel);
}

/**
 * Sends `signal` to the process group a child started with `detached: true` leads: the child and
 * everything it started that is still running, even after the child itself has exited.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Asks a child process to stop, kills it if it has not after `graceMs`, and resolves once it is gone. */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Stops a child started with `detached: true` together with everything it started (its process
 * group): an app run through a shell or npx leaves grandchildren that a plain kill would orphan.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signal('SIGTERM');
  });
}
