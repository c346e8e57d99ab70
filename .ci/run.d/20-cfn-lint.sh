#!/usr/bin/env bash
# cfn-lint, the AWS CloudFormation linter, on every template the tests and the example synthesized:
# no errors and no warnings allowed.
set -euo pipefail
CFN_LINT_VERSION=1.58.0
venv="${TMPDIR:-/tmp}/cdk-auth0-protected-api-cfn-lint"
[ -x "$venv/bin/cfn-lint" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "cfn-lint==$CFN_LINT_VERSION"; }
shopt -s nullglob
templates=("${CFN_LINT_DIR:-test-reports/templates}"/*.template.json examples/*/cdk.out/*.template.json)
if [ ${#templates[@]} -lt 10 ]; then
  echo "cfn-lint: only ${#templates[@]} templates found; the tests did not keep their templates" >&2
  exit 1
fi
"$venv/bin/cfn-lint" --version
"$venv/bin/cfn-lint" "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates, no errors, no warnings"
