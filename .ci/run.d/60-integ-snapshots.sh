#!/usr/bin/env bash
# The integration tests on AWS (test/integ.*.ts) are deployed only by someone with an account
# (README, "Integration tests on AWS"). Here integ-runner synthesizes each and compares it with its
# committed snapshot (test/integ.*.ts.snapshot), deploying nothing: a change to the example stacks, the
# construct or the assertions fails until the snapshots are regenerated (CONTRIBUTING.md). Asset hashes
# are not compared (diffAssets: false), so a rebuilt bundle alone does not fail. About 75 s on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx integ-runner --parallel-regions us-east-1 --max-workers 1
