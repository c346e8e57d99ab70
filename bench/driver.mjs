// In-process measurements for `npm run bench`, in a child Node.js process that bench/run.ts forks
// (IPC) with NODE_EXTRA_CA_CERTS cleared. Modes (argv[2]):
//   warm <tokens.json>         imports every variant bundle in this one process and times handler
//                              calls, interleaving variants per batch, next to the physical floor
//   burst <dir> <tokens.json>  fresh instance: 100 concurrent first requests, then (on the parent's
//                              word) a flood of unknown kids; the parent counts JWKS fetches
//   rss <dir> <tokens.json> N  fresh instance: N distinct tokens, then RSS
//   dpop <dpop.json>           Bearer (DPoP off) against DPoP (ALLOWED, a fresh proof per request),
//                              the same tokens otherwise, interleaved per batch
// Every loop is bounded by the token counts it is given.
import { createPublicKey, verify, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, ...args] = process.argv.slice(2);
const send = (message) => new Promise((resolve) => process.send(message, resolve));
const nextMessage = () => new Promise((resolve) => process.once('message', resolve));

async function load(dir) {
  const { handler } = await import(pathToFileURL(join(dir, 'index.mjs')).href);
  return handler;
}

/** The event API Gateway sends for `token`, from the parent's template. */
function eventFor(template, token) {
  const authorization = `Bearer ${token}`;
  return {
    ...template,
    headers: { ...template.headers, Authorization: authorization },
    multiValueHeaders: { ...template.multiValueHeaders, Authorization: [authorization] },
  };
}

function stats(samplesNs) {
  const sorted = Float64Array.from(samplesNs).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  return { medianUs: at(0.5), p99Us: at(0.99), n: sorted.length };
}

async function warm([tokensFile]) {
  const input = JSON.parse(readFileSync(tokensFile, 'utf8'));
  const { template, distinct, rounds, variants } = input;
  const repeated = distinct[0];
  const events = distinct.map((t) => eventFor(template, t));
  const repeatedEvent = eventFor(template, repeated);

  // The floor: node:crypto RSA-SHA256 with a key object built once.
  const keyObject = createPublicKey({ key: input.jwk, format: 'jwk' });
  const floor = (token) => {
    const dot = token.lastIndexOf('.');
    return verify('RSA-SHA256', Buffer.from(token.slice(0, dot)), keyObject, Buffer.from(token.slice(dot + 1), 'base64url'));
  };
  // What WebCrypto itself costs (jose 6 verifies with it): RSASSA-PKCS1-v1_5 with a CryptoKey built once.
  const cryptoKey = await webcrypto.subtle.importKey('jwk', input.jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const encoder = new TextEncoder();
  const webcryptoVerify = (token) => {
    const dot = token.lastIndexOf('.');
    return webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', cryptoKey, Buffer.from(token.slice(dot + 1), 'base64url'), encoder.encode(token.slice(0, dot)));
  };

  const handlers = {};
  for (const [name, dir] of Object.entries(variants)) handlers[name] = await load(dir);
  const names = ['floor', 'webcrypto', ...Object.keys(variants)];
  const samples = Object.fromEntries(names.flatMap((n) => [[`${n}/distinct`, []], [`${n}/repeated`, []]]));

  const batch = async (name, kind, record) => {
    const out = samples[`${name}/${kind}`];
    const handler = handlers[name];
    for (let i = 0; i < distinct.length; i++) {
      const token = kind === 'distinct' ? distinct[i] : repeated;
      let t0; let ok;
      if (name === 'floor') {
        t0 = process.hrtime.bigint(); ok = floor(token);
      } else if (name === 'webcrypto') {
        t0 = process.hrtime.bigint(); ok = await webcryptoVerify(token);
      } else {
        const event = kind === 'distinct' ? events[i] : repeatedEvent;
        t0 = process.hrtime.bigint();
        ok = (await handler(event)).policyDocument.Statement[0].Effect === 'Allow';
      }
      const t1 = process.hrtime.bigint();
      if (!ok) throw new Error(`${name} refused a valid token`);
      if (record) out.push(Number(t1 - t0));
    }
  };
  // Round 0 warms every path up (JIT, key caches) and is not recorded. The order of the variants
  // rotates every round, so drift on the machine hits every variant alike.
  for (let round = 0; round <= rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      await batch(name, 'distinct', round > 0);
      await batch(name, 'repeated', round > 0);
    }
  }
  const result = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)]));
  await send({ type: 'warm', result });
}

async function burst([dir, tokensFile]) {
  const { template, distinct, unknownKid } = JSON.parse(readFileSync(tokensFile, 'utf8'));
  const handler = await load(dir);
  const outcome = (p) => p.then((r) => r.policyDocument.Statement[0].Effect, (e) => `rejected: ${e.message}`);
  const cold = await Promise.all(distinct.slice(0, 100).map((t) => outcome(handler(eventFor(template, t)))));
  await send({ type: 'burst', outcomes: count(cold) });
  await nextMessage();
  // The flood: waves of 100 concurrent requests, each token naming a kid the issuer never published.
  const flood = [];
  for (let i = 0; i < unknownKid.length; i += 100) {
    flood.push(...await Promise.all(unknownKid.slice(i, i + 100).map((t) => outcome(handler(eventFor(template, t))))));
  }
  await send({ type: 'flood', outcomes: count(flood) });
}

function count(outcomes) {
  const counts = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function rss([dir, tokensFile, n]) {
  const { template, distinct } = JSON.parse(readFileSync(tokensFile, 'utf8'));
  const handler = await load(dir);
  const total = Math.min(Number(n), distinct.length);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < total; i++) await handler(eventFor(template, distinct[i]));
  globalThis.gc?.();
  const usage = process.memoryUsage();
  await send({ type: 'rss', tokens: total, rssBefore: before, rss: usage.rss, heapUsed: usage.heapUsed });
}

async function dpop([file]) {
  const { variants, events, rounds } = JSON.parse(readFileSync(file, 'utf8'));
  const handlers = { bearer: await load(variants.bearer), dpop: await load(variants.dpop) };
  const samples = {};
  for (let round = 0; round <= rounds; round++) {
    for (const kind of ['distinct', 'repeated']) {
      const order = round % 2 === 0 ? ['bearer', 'dpop'] : ['dpop', 'bearer'];
      for (const name of order) {
        // Each DPoP event carries its own proof: a proof is spent once, so every round has its own events.
        const list = events[`${name}/${kind}`][round];
        const out = (samples[`${name}/${kind}`] ??= []);
        for (const event of list) {
          const t0 = process.hrtime.bigint();
          const result = await handler(handlers[name], event);
          const t1 = process.hrtime.bigint();
          if (result !== 'Allow') throw new Error(`${name}/${kind} refused a valid request: ${result}`);
          if (round > 0) out.push(Number(t1 - t0));
        }
      }
    }
  }
  await send({ type: 'dpop', result: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)])) });
}

function handler(fn, event) {
  return fn(event).then((r) => r.policyDocument.Statement[0].Effect, (e) => `rejected: ${e.message}`);
}

const modes = { warm, burst, rss, dpop };
// Silence the authorizers' refusal log lines (the flood produces one per request).
console.warn = () => undefined;
console.error = () => undefined;
await modes[mode](args);
process.disconnect();
