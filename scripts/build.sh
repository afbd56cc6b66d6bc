#!/bin/sh
# Bundles src/ into dist/index.js and one chunk per dynamic import() (each phase and CLI command loads
# only its own code), minifies the chunks (ncc minifies only index.js), rewrites ncc's license file with
# each distinct license text once, then writes the entry files and every action.yml from the phase
# catalog (scripts/write-action-files.mjs). CI rebuilds and fails if dist/ or actions/ differ.
set -eu
cd "$(dirname "$0")/.."
node=node_modules/node/bin/node
rm -rf dist
npx ncc build src/index.ts -o dist --minify --license licenses.txt --quiet
"$node" scripts/minify-chunks.mjs dist
"$node" scripts/dedupe-licenses.mjs dist/licenses.txt
"$node" scripts/write-action-files.mjs
