// One cold start for `npm run bench`: a fresh Node.js process imports an authorizer bundle
// (argv[2] is its directory, config.json beside it) and answers its first request (the event in
// the JSON file argv[3]), writes one line to stdout and exits. bench/run.ts times the process from
// spawn to that line: Lambda keeps the instance, so teardown (undici's idle sockets) is not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const { handler } = await import(pathToFileURL(join(dir, 'index.mjs')).href);
const result = await handler(event);
process.stdout.write('answered\n');
if (result?.policyDocument?.Statement?.[0]?.Effect !== 'Allow') {
  process.stderr.write(`first request was not allowed: ${JSON.stringify(result)}\n`);
  process.exitCode = 1;
}
