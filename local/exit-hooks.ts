/**
 * Last-resort cleanup when the command's process ends by any path: a normal stop, `process.exit`,
 * or a crash (Node.js emits `exit` after an uncaught exception too). The tasks run synchronously, as
 * `exit` listeners must: kill what is still running, remove temporary folders. A process killed with
 * SIGKILL runs nothing; its function processes then exit when their IPC channel closes.
 */
const tasks = new Set<() => void>();
let listening = false;

function runAll(): void {
  for (const task of [...tasks]) {
    try {
      task();
    } catch {
      // Best effort: one failing task must not keep the others from running.
    }
  }
  tasks.clear();
}

/** Runs `task` when the process exits; returns a function that cancels it (the owner cleaned up itself). */
export function atExit(task: () => void): () => void {
  if (!listening) {
    process.on('exit', runAll);
    listening = true;
  }
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}
