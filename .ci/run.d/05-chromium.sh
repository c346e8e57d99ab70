#!/usr/bin/env bash
# Headless Chromium from Debian's packages, for the browser test (test/browser): puppeteer-core drives
# /usr/bin/chromium and downloads no browser of its own. .ci/run calls this before the jest suites;
# when Chromium is already installed it only prints the version.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
