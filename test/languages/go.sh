#!/usr/bin/env bash
# Go smoke test: build examples/go against github.com/aws/aws-cdk-go from the Go module proxy and
# the module in dist/go (a replace directive), then synthesize it into examples/go/cdk.out. Needs Go.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ -f "$root/dist/go/cdkauth0protectedapi/go.mod" ] \
  || { echo "No module in dist/go: run 'npx projen package:go' first." >&2; exit 1; }

rm -rf "$root/examples/go/cdk.out"
cd "$root/examples/go"
go vet ./...
go run .
