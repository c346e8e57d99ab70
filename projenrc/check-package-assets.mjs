// Refuses to package without the prebuilt bundles every package ships (see .projenrc.ts).
import { existsSync } from 'node:fs';

const PACKAGE_ASSETS = ['assets/authorizer/index.mjs', 'assets/local/cli.js', 'assets/local/lambda-host.mjs'];
const missing = PACKAGE_ASSETS.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`Refusing to package: missing ${missing.join(', ')}. `
    + 'Run "npx projen bundle:authorizer" and "npx projen bundle:local" first ("npx projen build" runs both).');
  process.exit(1);
}
