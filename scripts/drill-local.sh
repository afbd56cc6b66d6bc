#!/bin/sh
# The README's main job: install what is missing, then the local rehearsal on the embedded emulator.
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
exec node_modules/node/bin/node dist/standby.js drill --local "$@"
