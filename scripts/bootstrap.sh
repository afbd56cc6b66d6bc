#!/bin/sh
# Installs what standby needs on a fresh machine, and nothing when it is already there:
# npm packages (with Node 24 from the npm registry) and the moto emulator in .venv; with --test-tools
# also what only the tests use (shellcheck, jq, zstd from Debian; checkov in .venv-checkov).
set -eu
cd "$(dirname "$0")/.."

# The lockfile's hash is recorded after a successful install, so a changed lockfile reinstalls (POSIX sh
# has no -nt). npm's own output goes to stderr: `npm run drill -- --json | jq` must see only the JSON.
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.standby-lock.sha256 2>/dev/null || true)
if [ ! -x node_modules/node/bin/node ] || [ "$want" != "$have" ]; then
  echo "bootstrap: installing npm packages" >&2
  # npm ci can trip over optional platform packages missing from the registry; this keeps the lockfile.
  npm install --no-audit --no-fund --loglevel=error >&2
  echo "$want" > node_modules/.standby-lock.sha256
fi

want=$(sha256sum requirements-emulator.txt | cut -d' ' -f1)
have=$(cat .venv/.requirements.sha256 2>/dev/null || true)
if [ ! -x .venv/bin/moto_server ] || [ "$want" != "$have" ]; then
  echo "bootstrap: installing the AWS emulator into .venv ($(cat requirements-emulator.txt))" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-emulator.txt
  echo "$want" > .venv/.requirements.sha256
fi

# Everything below is only for the test suite (`sh scripts/bootstrap.sh --test-tools`), not the drill.
[ "${1:-}" = "--test-tools" ] || exit 0

# Runner scripts are shellchecked and driven by tests that need jq, zstd and sha256sum (Debian packages);
# test/integration/rendered-charts.test.ts renders the Mermaid charts in a headless chromium.
missing=""
for tool in shellcheck jq zstd chromium; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing$missing" >&2
  apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -qq $missing
fi

# checkov (Terraform policy scanner) in its own venv: its pins clash with moto's.
want=$(sha256sum requirements-checkov.txt | cut -d' ' -f1)
have=$(cat .venv-checkov/.requirements.sha256 2>/dev/null || true)
if [ ! -x .venv-checkov/bin/checkov ] || [ "$want" != "$have" ]; then
  echo "bootstrap: installing the Terraform policy scanner into .venv-checkov ($(cat requirements-checkov.txt))" >&2
  python3 -m venv .venv-checkov
  .venv-checkov/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
  echo "$want" > .venv-checkov/.requirements.sha256
fi

# Terraform provider schemas for test/terraform/provider-schema.test.ts (large npm packages, kept out of
# package.json; pinned with their integrity in requirements-provider-schemas.txt).
sh scripts/provider-schemas.sh
