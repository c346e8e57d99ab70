#!/usr/bin/env node
/** The `cdk-auth0-protected-api` program of the npm package (bundled into assets/local/cli.js). */
import { runCommand } from './command';

runCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  exit: (code) => process.exit(code),
}).catch((e: unknown) => {
  process.stderr.write(`cdk-auth0-protected-api: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
