// Runs the shipped authorizer bundle as Lambda's Node.js runtime does: under the runtime interface
// client (npm `aws-lambda-ric`, the version pinned in .projenrc.ts), whose `run()` patches `console`
// with the runtime's own log formatting (`AWS_LAMBDA_LOG_FORMAT=JSON`: one
// `{ timestamp, level, requestId, message }` line per call), then loads `index.handler` from the
// asset directory (the first argument) and loops over invocations. Only its native Runtime API
// client (`rapid-client.node`, built by an install script the tests skip) is replaced, by one that
// takes events over IPC instead of HTTP.
//
// Two ways to invoke, per message:
// - `runtime: true`: through the runtime's loop, one at a time as on Lambda; the runtime itself then
//   logs an ERROR `Invoke Error` line for every rejected invocation.
// - otherwise the handler is called directly (several at once, for concurrency tests); `console` is
//   still the runtime's, so the authorizer's own lines are formatted exactly as on Lambda.
// Results cross the IPC channel as JSON, as Lambda serializes them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const Module = require('node:module');

const dir = process.argv[2];
let handler;
let initError;
let ready = false;

// After each invocation a marker line goes to stdout and stderr, so the parent knows that every
// log line of that invocation has arrived before it hands back the outcome.
const MARK = '\u0000authorizer-host-done:';

/** Invocations queued for the runtime's loop, and the runtime's wait for the next one. */
const queue = [];
let waitingForNext;
/** Outcomes of runtime invocations, by request id. */
const running = new Map();

function signalReady() {
  if (ready) return;
  ready = true;
  process.send({ type: 'ready', initError });
}

/** Stands in for the runtime's native Runtime API client: next / done / error. */
const nativeClient = {
  next() {
    return new Promise((resolve) => {
      waitingForNext = resolve;
      deliver();
    });
  },
  done(requestId, body) {
    finish(decodeURIComponent(requestId), { ok: JSON.parse(body) });
  },
  error(requestId, body) {
    const { errorMessage, errorType } = JSON.parse(body);
    finish(decodeURIComponent(requestId), { error: errorMessage, errorType });
  },
};

function deliver() {
  if (!waitingForNext || queue.length === 0) return;
  const { id, event } = queue.shift();
  const resolve = waitingForNext;
  waitingForNext = undefined;
  resolve({
    bodyJson: JSON.stringify(event),
    headers: {
      'lambda-runtime-aws-request-id': `request-${id}`,
      'lambda-runtime-deadline-ms': String(Date.now() + 10_000),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:authorizer',
    },
  });
}

function finish(requestId, outcome) {
  const id = running.get(requestId);
  if (id === undefined) return;
  running.delete(requestId);
  reply(id, outcome);
}

function reply(id, outcome) {
  process.stdout.write(`${MARK}${id}\n`);
  process.stderr.write(`${MARK}${id}\n`);
  process.send({ id, ...outcome });
}

const load = Module._load;
Module._load = function loadWithoutNativeClient(request, ...rest) {
  if (request === './rapid-client.node') return nativeClient;
  return load.call(this, request, ...rest);
};

process.env.AWS_LAMBDA_RUNTIME_API ??= '127.0.0.1:9';
try {
  const { run } = await import('aws-lambda-ric');
  await run(dir, 'index.handler');
  // The module the runtime loaded (same URL, so the same instance: no second cold start).
  handler = (await import(pathToFileURL(join(dir, 'index.mjs')).href)).handler;
  signalReady();
} catch (error) {
  // Lambda answers every invocation of an instance whose init failed with an error (a 500 at API Gateway).
  initError = `init failed: ${error instanceof Error ? error.message : String(error)}`;
  signalReady();
}

const context = {
  functionName: 'authorizer',
  functionVersion: '$LATEST',
  awsRequestId: '00000000-0000-0000-0000-000000000000',
  getRemainingTimeInMillis: () => 10_000,
};

async function directOutcome(id, event) {
  if (initError) return { error: initError, errorType: 'Runtime.InitError' };
  try {
    const result = await handler(event, { ...context, awsRequestId: `request-${id}` });
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
  if (message.runtime && !initError) {
    running.set(`request-${message.id}`, message.id);
    queue.push({ id: message.id, event: message.event });
    deliver();
    return;
  }
  reply(message.id, await directOutcome(message.id, message.event));
});
