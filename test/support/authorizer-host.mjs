// Runs the shipped authorizer bundle as Lambda would: imports `index.mjs` from an asset directory
// (given as the first argument) in a fresh Node.js process and calls `handler` for each event
// received over IPC. Results cross the IPC channel as JSON, as Lambda serializes them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
let handler;
let initError;
try {
  const mod = await import(pathToFileURL(join(dir, 'index.mjs')).href);
  handler = mod.handler;
  if (typeof handler !== 'function') initError = 'index.mjs exports no handler function';
} catch (error) {
  // Lambda answers every invocation of an instance whose init failed with an error (a 500 at API Gateway).
  initError = `init failed: ${error instanceof Error ? error.message : String(error)}`;
}

const context = {
  functionName: 'authorizer',
  functionVersion: '$LATEST',
  awsRequestId: '00000000-0000-0000-0000-000000000000',
  getRemainingTimeInMillis: () => 10_000,
};

// After each invocation a marker line goes to stdout and stderr, so the parent knows that every
// log line of that invocation has arrived before it hands back the outcome.
const MARK = '\u0000authorizer-host-done:';

async function outcomeOf(id, event) {
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
  const outcome = await outcomeOf(message.id, message.event);
  process.stdout.write(`${MARK}${message.id}\n`);
  process.stderr.write(`${MARK}${message.id}\n`);
  process.send({ id: message.id, ...outcome });
});

process.send({ type: 'ready', initError });
