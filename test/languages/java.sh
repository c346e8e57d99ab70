#!/usr/bin/env bash
# Java smoke test: build examples/java with Maven against aws-cdk-lib from Maven Central and the
# jar in dist/java, then synthesize it into examples/java/cdk.out. Needs a JDK (17+) and Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ls "$root"/dist/java/io/github/cdk-auth0-protected-api/cdk-auth0-protected-api/*/*.jar >/dev/null 2>&1 \
  || { echo "No jar in dist/java: run 'npx projen package:java' first." >&2; exit 1; }

# Every local build is version 0.0.0 and Maven never re-fetches a release it has cached,
# so drop our artifact from the local repository to use the jar just built.
rm -rf "${M2_REPOSITORY:-$HOME/.m2/repository}/io/github/cdk-auth0-protected-api"

rm -rf "$root/examples/java/cdk.out"
cd "$root/examples/java"
mvn --batch-mode --no-transfer-progress -q compile exec:java
