#!/bin/sh
# Runs a benchmark from bench/<name>.ts: bundles it with ncc (so it runs the TypeScript sources as they
# are), then runs it under Node 24 against its own emulator. Usage: sh scripts/bench.sh check-health
set -eu
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/bench.sh <name>   (see bench/)}
sh scripts/bootstrap.sh
out=.standby/bench/$name
rm -rf "$out"
npx ncc build "bench/$name.ts" -o "$out" --quiet
node_modules/node/bin/node "$out/index.js"
