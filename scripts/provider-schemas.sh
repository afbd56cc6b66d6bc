#!/bin/sh
# Fetches the Terraform provider schema packages pinned in requirements-provider-schemas.txt into
# .provider-schemas/<package>/ for the tests, and nothing when they are already there. The packages are
# large (the AWS one unpacks to about 390 MB), so only their .jsii type manifest, package.json and README
# are kept, and they stay out of package.json: `npm pack` fetches the tarball, its sha512 is checked
# against the pin, then `tar` unpacks the three files.
set -eu
cd "$(dirname "$0")/.."

want=$(sha256sum requirements-provider-schemas.txt | cut -d' ' -f1)
have=$(cat .provider-schemas/.requirements.sha256 2>/dev/null || true)
[ "$want" = "$have" ] && exit 0

echo "bootstrap: fetching Terraform provider schemas into .provider-schemas" >&2
rm -rf .provider-schemas
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^#' requirements-provider-schemas.txt | while read -r spec integrity; do
  [ -n "$spec" ] || continue
  name=${spec%@*}
  tarball=$(npm pack "$spec" --pack-destination "$work" --silent 2>/dev/null | tail -n 1)
  if [ -z "$tarball" ] || [ ! -f "$work/$tarball" ]; then
    echo "bootstrap: npm pack $spec failed (is the npm registry reachable?)" >&2
    exit 1
  fi
  got="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w 0)"
  if [ "$got" != "$integrity" ]; then
    echo "bootstrap: $spec has integrity $got, the pin says $integrity; refusing it" >&2
    exit 1
  fi
  mkdir -p ".provider-schemas/$name"
  tar -xzf "$work/$tarball" -C ".provider-schemas/$name" --strip-components=1 \
    package/.jsii package/package.json package/README.md
  rm -f "$work/$tarball"
done
echo "$want" > .provider-schemas/.requirements.sha256
