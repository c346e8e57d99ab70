// Runs one Lambda function's code as the Node.js runtime would: in a fresh process, from its code
// directory (first argument), loading the handler named by the second argument (`file.export`,
// e.g. `index.handler`) the way the runtime resolves it (file.js, file.mjs, file.cjs; CommonJS or
// ES module), and calling it for each event received over IPC. Results cross the IPC channel as
// JSON, as Lambda serializes them. Used for the authorizer bundle and for backends alike.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { Worker } from 'node:worker_threads';

// Code stuck in a loop (a handler, or module scope) keeps this thread from ever seeing the IPC
// channel close, so a worker thread watches for the parent to go (this process is then reparented)
// and ends the process: a command killed with SIGKILL leaves no function spinning. It costs about
// 10 MB per function process. The process leads its own process group (started detached), so the
// group goes: what the handler spawned ends with it, as everything in an execution environment does.
const watchdog = new Worker(
  "const { workerData } = require('node:worker_threads'); const end = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch { process.kill(process.pid, 'SIGKILL'); } }; setInterval(() => { if (process.ppid !== workerData.parent) end(); }, 500);",
  { eval: true, workerData: { parent: process.ppid } },
);
watchdog.unref();

const dir = process.argv[2];
const handlerName = process.argv[3] ?? 'index.handler';
const functionName = process.argv[4] ?? 'function';
const timeoutMs = Number(process.argv[5] ?? 3_000);

/** `path/to/file.export.name` → module path and export path (Lambda splits at the last `/`, then the first `.`). */
function parseHandler(name) {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw new Error(`Bad handler ${name}: expected file.function`);
  return { file: name.slice(0, slash + 1) + base.slice(0, dot), exportPath: base.slice(dot + 1).split('.') };
}

let currentRequestId;

// The function's log format (LoggingConfig.LogFormat): with JSON, the Node.js runtime writes one
// `{ timestamp, level, requestId, message }` object per console call, a single logged object kept
// as the message itself, so metric filters can select on its fields.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
if (process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON') {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const single = args.length === 1 && typeof args[0] === 'object' && args[0] !== null && !(args[0] instanceof Error);
      const message = single ? args[0] : format(...args);
      process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, requestId: currentRequestId, message })}\n`);
    };
  }
}

let handler;
let initError;
try {
  const { file, exportPath } = parseHandler(handlerName);
  const path = ['.js', '.mjs', '.cjs'].map((ext) => join(dir, file + ext)).find(existsSync);
  if (!path) throw new Error(`Cannot find module '${file}' (looked for ${file}.js, .mjs, .cjs in the code directory)`);
  const mod = await import(pathToFileURL(path).href);
  // A CommonJS module arrives as `default` (module.exports) with named exports detected beside it.
  let target = exportPath.reduce((o, k) => o?.[k], mod);
  if (typeof target !== 'function') target = exportPath.reduce((o, k) => o?.[k], mod.default);
  handler = target;
  if (typeof handler !== 'function') initError = `${handlerName} is undefined or not exported`;
} catch (error) {
  // Lambda answers every invocation of an instance whose init failed with an error (a 500 at API Gateway).
  initError = `init failed: ${error instanceof Error ? error.message : String(error)}`;
}

function contextFor(id) {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: '128',
    awsRequestId: `request-${id}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

// After each invocation a marker line goes to stdout and stderr, so the parent knows that every
// log line of that invocation has arrived before it hands back the outcome.
const MARK = '\u0000authorizer-host-done:';

async function outcomeOf(id, event) {
  if (initError) return { error: initError, errorType: 'Runtime.InitError' };
  currentRequestId = `request-${id}`;
  try {
    // A handler of three parameters is callback style, as the runtime supports.
    const result = handler.length >= 3
      ? await new Promise((resolve, reject) => {
        const returned = handler(event, contextFor(id), (error, value) => (error ? reject(error) : resolve(value)));
        if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      })
      : await handler(event, contextFor(id));
    return { ok: JSON.parse(JSON.stringify(result ?? null)) };
  } catch (error) {
    const isError = error instanceof Error;
    return { error: isError ? error.message : String(error), errorType: isError ? error.constructor.name : typeof error };
  }
}

process.on('message', async (message) => {
  if (message?.type === 'memory') {
    // Only with --expose-gc (a test option): measure what is retained, not what awaits collection.
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send({ type: 'memory', memory: { rss, heapUsed, external, arrayBuffers } });
    return;
  }
  if (!message || message.type !== 'invoke') return;
  const outcome = await outcomeOf(message.id, message.event);
  process.stdout.write(`${MARK}${message.id}\n`);
  process.stderr.write(`${MARK}${message.id}\n`);
  process.send({ id: message.id, ...outcome });
});
// Started over IPC: never outlive the parent, nor let what the handler spawned outlive it.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(0);
  }
});

process.send({ type: 'ready', initError });
