#!/bin/sh
# The test command (README, .ci/run): installs what is missing, runs Jest under Node 24 in ESM mode,
# then prints one plain `N passed, N failed` line. Extra arguments go to Jest (e.g. a path filter); the
# full run (no arguments) also measures coverage against the thresholds in jest.config.js.
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh --test-tools
mkdir -p .standby
rm -rf .standby/coverage
coverage=""
[ "$#" -gt 0 ] || coverage="--coverage"
status=0
# shellcheck disable=SC2086 # $coverage is one flag or nothing
NODE_OPTIONS=--experimental-vm-modules node_modules/node/bin/node node_modules/jest/bin/jest.js \
  --json --outputFile=.standby/jest-results.json $coverage "$@" || status=$?
node scripts/test-summary.mjs .standby/jest-results.json "$status" .standby/coverage/coverage-summary.json
exit $status
