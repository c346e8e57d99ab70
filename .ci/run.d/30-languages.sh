#!/usr/bin/env bash
# The jsii packages used from other languages (test/languages/): build them, install each beside its
# own aws-cdk-lib from PyPI, Maven Central and the Go module proxy, synthesize the example app in that
# language and compare with the TypeScript template. About 9 minutes on 2 cores with cold caches
# (packaging ~3 min, Python ~1 min, Java ~3.5 min, Go ~1.5 min); LANGUAGES="python" narrows the set.
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r -a languages <<< "${LANGUAGES:-python java go}"
# `npx projen build` under CI=true packages JavaScript only; package the other languages here.
for language in "${languages[@]}"; do
  npx projen "package:$language"
done
bash test/languages/run.sh "${languages[@]}"
