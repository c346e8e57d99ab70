#!/usr/bin/env bash
# `npm run test:languages [python] [java] [go]` (default: all three), after `npx projen package-all`:
# synthesizes the TypeScript example, then each language's smoke app from the packages in dist/,
# and checks that every template and staged asset is identical to the TypeScript one
# (test/languages/compare-templates.ts). Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(python java go)

timed() {
  local name="$1"; shift
  local started=$SECONDS
  "$@"
  echo "== $name: $(( SECONDS - started )) s"
}

timed typescript npx projen example
for language in "${languages[@]}"; do
  timed "$language" bash "test/languages/$language.sh"
done
npx ts-node --project tsconfig.dev.json test/languages/compare-templates.ts "${languages[@]}"
