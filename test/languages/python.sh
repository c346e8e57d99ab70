#!/usr/bin/env bash
# Python smoke test: install the wheel from dist/python beside aws-cdk-lib from PyPI, synthesize
# examples/python into examples/python/cdk.out. Needs python3 with venv; everything else is installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${LANGUAGES_WORKDIR:-/tmp/cdk-auth0-protected-api-languages}"
venv="$work/python-venv"

wheel="$(ls "$root"/dist/python/cdk_auth0_protected_api-*.whl 2>/dev/null | head -n1 || true)"
[ -n "$wheel" ] || { echo "No wheel in dist/python: run 'npx projen package:python' first." >&2; exit 1; }

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet -r "$root/examples/python/requirements.txt"
# --force-reinstall: every build is version 0.0.0, and pip would keep a previously installed one.
"$venv/bin/pip" install --quiet --no-deps --force-reinstall "$wheel"

rm -rf "$root/examples/python/cdk.out"
cd "$root/examples/python"
"$venv/bin/python" app.py
