#!/bin/sh
# Bundles src/ into the single dist/index.js, then writes the entry files and every action.yml from
# the phase catalog (scripts/write-action-files.mjs). CI rebuilds and fails if dist/ or actions/ differ.
set -eu
cd "$(dirname "$0")/.."
rm -rf dist
npx ncc build src/index.ts -o dist --minify --license licenses.txt --quiet
node scripts/write-action-files.mjs
