#!/usr/bin/env bash
# `cdk synth` of the deployable example, exactly as `cdk deploy` starts it (examples/typescript/cdk.json),
# with the CDK CLI from devDependencies. No AWS account is needed to synthesize. The output goes to a
# temporary directory: examples/typescript/cdk.out is the language tests' reference, written by
# `npm run example` without the CLI's metadata.
set -euo pipefail
cd "$(dirname "$0")/../../examples/typescript"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
CDK_DISABLE_CLI_TELEMETRY=true npx cdk synth --no-notices --quiet --output "$out"
node -e '
for (const stack of ["Auth0ProtectedApiExample", "Auth0ProtectedHttpApiExample"]) {
  const t = require(process.argv[1] + "/" + stack + ".template.json");
  const outputs = Object.keys(t.Outputs || {});
  for (const name of ["ApiUrl", "AuthorizerLogGroup"]) {
    if (!outputs.includes(name)) { console.error(`cdk synth: ${stack} output ${name} missing (have ${outputs.join(", ")})`); process.exit(1); }
  }
  console.log(`cdk synth: ${stack} with outputs ${outputs.join(", ")}`);
}
// cdk.json carries the flags `cdk init` writes, among them disableCloudWatchRole: the REST stage still
// needs an API Gateway CloudWatch role in the region, which the construct then creates itself.
const rest = require(process.argv[1] + "/Auth0ProtectedApiExample.template.json");
const accounts = Object.values(rest.Resources).filter((r) => r.Type === "AWS::ApiGateway::Account");
if (accounts.length !== 1) { console.error(`cdk synth: expected one AWS::ApiGateway::Account in the REST example, found ${accounts.length}`); process.exit(1); }
console.log("cdk synth: the REST example sets the API Gateway CloudWatch role (one AWS::ApiGateway::Account)");
' "$out"
