#!/bin/sh
# The test command (README, .ci/run): installs what is missing, runs Jest under Node 24 in ESM mode,
# then prints one plain `N passed, N failed` line. Extra arguments go to Jest (e.g. a path filter).
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh --test-tools
mkdir -p .standby
status=0
NODE_OPTIONS=--experimental-vm-modules node_modules/node/bin/node node_modules/jest/bin/jest.js \
  --json --outputFile=.standby/jest-results.json "$@" || status=$?
node scripts/test-summary.mjs .standby/jest-results.json
exit $status
