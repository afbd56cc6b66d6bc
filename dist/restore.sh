#!/usr/bin/env bash
# standby restore (runner side), version 1. Delivered through SSM Run Command by the restore phase.
#
# Inputs (environment, each validated by the phase before it left GitHub):
#   STANDBY_BACKUP_URI         s3://<bucket>/<prefix>/backups/<backup_id>
#   STANDBY_RESTORE_PATH       absolute directory the state archive is extracted into
#   STANDBY_NAMESPACE          application namespace (reported; the manifests create it)
#   STANDBY_CONTROL_PLANE_URI  optional s3://.../control-plane/current.json ({"bundle_uri", "sha256"})
# Downloads use the instance role, scoped to the backup prefix (docs/restore.md): no credentials travel.
# Progress goes to stderr; stdout carries exactly one compact JSON report (SSM keeps 24,000 characters).
set -Eeuo pipefail

readonly SCRIPT_VERSION=1
step="start"
files_restored=0
manifests_applied=0
control_plane_applied=false
verified="[]"

cronjobs="[]"
unpacked_files=0

report() { # ok error
  jq -cn --argjson ok "$1" --arg error "$2" --arg step "$step" --argjson version "$SCRIPT_VERSION" \
    --argjson files "$files_restored" --argjson manifests "$manifests_applied" \
    --argjson cp "$control_plane_applied" --argjson verified "$verified" --argjson cronjobs "$cronjobs" \
    '{schema:"standby.restore-report/v1", script_version:$version, ok:$ok, step:$step,
      error:(if $error == "" then null else $error end), files_restored:$files, manifests_applied:$manifests,
      control_plane_applied:$cp, cronjobs:$cronjobs, verified:$verified}'
}

die() {
  echo "restore: $step: $1" >&2
  report false "$step: $1"
  exit 1
}

kc() { k3s kubectl "$@"; }
log() { echo "restore: $*" >&2; }
# Anything that fails without its own message still ends in one report.
trap 'die "command failed at line $LINENO"' ERR

for var in STANDBY_BACKUP_URI STANDBY_RESTORE_PATH STANDBY_NAMESPACE; do
  [[ -n "${!var:-}" ]] || die "$var is not set"
done
[[ "$STANDBY_RESTORE_PATH" == /* ]] || die "STANDBY_RESTORE_PATH must be absolute"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch <s3 uri> <file>
fetch() {
  aws s3 cp --only-show-errors "$1" "$2" >&2 || die "cannot download $1"
}

# verify_file <file> <bytes> <sha256>
verify_file() {
  local size digest
  size=$(stat -c %s "$1")
  [[ "$size" == "$2" ]] || die "$(basename "$1") is $size bytes, expected $2"
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$digest" == "$3" ]] || die "$(basename "$1") sha256 $digest differs from the declared $3"
}

# check_archive <tar file>: refuse absolute names, '..' segments, links escaping the root, devices.
check_archive() {
  local names line kind name target dir joined
  names=$(tar -tf "$1") || die "$(basename "$1") is not a readable tar archive"
  while IFS= read -r name; do
    if [[ "$name" == /* ]]; then die "archive entry '$name' is an absolute path"; fi
    if [[ "/$name/" == */../* ]]; then die "archive entry '$name' contains '..'"; fi
  done <<<"$names"
  while IFS= read -r line; do
    kind=${line:0:1}
    case "$kind" in
      -|d) continue ;;
      l|h) ;;
      *) die "archive entry '$line' is a device, fifo or unknown type" ;;
    esac
    name=$(sed -E 's/^([^ ]+ +){5}//' <<<"$line")
    if [[ "$kind" == l ]]; then
      target=${name#* -> }
      name=${name%% -> *}
      if [[ "$target" == /* ]]; then die "symlink '$name' points to the absolute path '$target'"; fi
      dir=$(dirname "$name")
      joined="$dir/$target"
    else
      target=${name#* link to }
      name=${name%% link to *}
      joined="$target"
    fi
    if escapes "$joined"; then die "link '$name' -> '$target' points outside the archive root"; fi
  done < <(tar -tvf "$1")
  return 0
}

# escapes <relative path>: true when lexical normalisation climbs above the root.
escapes() {
  local depth=0 part
  local -a parts
  IFS=/ read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    case "$part" in
      ''|.) ;;
      ..)
        depth=$((depth - 1))
        if ((depth < 0)); then return 0; fi
        ;;
      *) depth=$((depth + 1)) ;;
    esac
  done
  return 1
}

# unpack <tar.zst> <directory>: decompress, check every entry, extract; sets unpacked_files.
unpack() {
  local tarball
  tarball="$work/$(basename "$1" .zst)"
  zstd -q -d -f "$1" -o "$tarball" || die "$(basename "$1") is not a valid zstd stream"
  check_archive "$tarball"
  mkdir -p "$2"
  tar -xf "$tarball" -C "$2" --no-same-owner --no-same-permissions || die "cannot extract $(basename "$1")"
  unpacked_files=$(tar -tvf "$tarball" | grep -c '^-' || true)
}

step="download"
log "downloading $STANDBY_BACKUP_URI"
fetch "$STANDBY_BACKUP_URI/metadata.json" "$work/metadata.json"
jq -e '.artifacts["state.tar.zst"].sha256 and .artifacts["manifests.tar.zst"].sha256' "$work/metadata.json" >/dev/null ||
  die "metadata.json lacks state.tar.zst or manifests.tar.zst"
for artifact in state.tar.zst manifests.tar.zst; do
  fetch "$STANDBY_BACKUP_URI/$artifact" "$work/$artifact"
done

step="verify"
for artifact in state.tar.zst manifests.tar.zst; do
  bytes=$(jq -r --arg a "$artifact" '.artifacts[$a].bytes' "$work/metadata.json")
  sha=$(jq -r --arg a "$artifact" '.artifacts[$a].sha256' "$work/metadata.json")
  verify_file "$work/$artifact" "$bytes" "$sha"
  verified=$(jq -c --arg a "$artifact" --argjson b "$bytes" --arg s "$sha" '. + [{name:$a, bytes:$b, sha256:$s}]' <<<"$verified")
done

step="extract-state"
unpack "$work/state.tar.zst" "$STANDBY_RESTORE_PATH"
files_restored=$unpacked_files
log "restored $files_restored files into $STANDBY_RESTORE_PATH"

step="apply-manifests"
unpack "$work/manifests.tar.zst" "$work/manifests"
manifest_files=$(find "$work/manifests" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
[[ -n "$manifest_files" ]] || die "manifests.tar.zst holds no .yaml, .yml or .json files"
while IFS= read -r file; do
  kc apply -f "$file" >&2 || die "kubectl apply failed for ${file#"$work/manifests/"}"
  manifests_applied=$((manifests_applied + 1))
done <<<"$manifest_files"

if [[ -n "${STANDBY_CONTROL_PLANE_URI:-}" ]]; then
  step="control-plane"
  fetch "$STANDBY_CONTROL_PLANE_URI" "$work/current.json"
  bundle_uri=$(jq -r '.bundle_uri // empty' "$work/current.json")
  bundle_sha=$(jq -r '.sha256 // empty' "$work/current.json")
  [[ "$bundle_uri" =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*\'()/-]+\.(yaml|yml|json)$ ]] ||
    die "control-plane current.json has no valid bundle_uri (s3://bucket/key.yaml|yml|json)"
  [[ "$bundle_sha" =~ ^[0-9a-f]{64}$ ]] || die "control-plane current.json has no valid sha256"
  bundle="$work/control-plane.${bundle_uri##*.}"
  fetch "$bundle_uri" "$bundle"
  digest=$(sha256sum "$bundle" | cut -d' ' -f1)
  [[ "$digest" == "$bundle_sha" ]] || die "control-plane bundle sha256 $digest differs from the declared $bundle_sha"
  kc apply -f "$bundle" >&2 || die "kubectl apply failed for the control-plane bundle"
  control_plane_applied=true
fi

step="list-cronjobs"
cronjobs=$(kc get cronjobs -n "$STANDBY_NAMESPACE" -o json | jq -c '[.items[].metadata.name]') ||
  die "cannot list CronJobs in namespace $STANDBY_NAMESPACE"

step="done"
report true ""
