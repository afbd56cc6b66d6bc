#!/usr/bin/env bash
# standby restore (runner side), version 2. Delivered through SSM Run Command by the restore phase.
#
# Inputs (environment, each validated by the phase before it left GitHub, and checked again below):
#   STANDBY_BACKUP_URI         s3://<bucket>/[<prefix>/]backups/<backup_id> (the prefix may be empty: the bucket root)
#   STANDBY_NAMESPACE          application namespace: every namespaced manifest belongs to it
#   STANDBY_STATE_CLAIM        the PersistentVolumeClaim (in the manifests) the workloads mount the state from
#   STANDBY_TARGET_KIND        k3s (default) or eks: where the state volume comes from (the state step, below)
#   STANDBY_KUBECTL            the kubectl invocation (default `k3s kubectl`; on eks `kubectl`)
#   STANDBY_RESTORE_PATH       k3s: the state volume's directory, under /var/lib/standby/ (the state contract)
#   STANDBY_EXECUTION_ID       eks: the execution whose node group (labelled and tainted with it) runs the pods
#   STANDBY_STORAGE_CLASS      eks: the storage class the state claim's new volume comes from (default gp3)
#   STANDBY_LOADER_IMAGE       eks: the loader pod's image, pinned by digest (<image>@sha256:<64 hex>)
#   STANDBY_STATE_OWNER        optional uid:gid the restored files are given (default root)
#   STANDBY_CONTROL_PLANE_URI  optional s3://.../control-plane/current.json ({"bundle_uri", "sha256"})
#   STANDBY_WAIT_SECONDS       how long to wait for CRDs to be Established and the claim to bind (default 120)
#   STANDBY_UNDECLARED_CAP     most bytes an archive without a declared raw_bytes may expand to: a byte
#                              count or a percentage of the free space (default 80%)
# Work happens under /var/lib/standby on the root volume (Amazon Linux 2023's /tmp is RAM-backed).
# Progress goes to stderr; stdout carries exactly one compact JSON report (SSM keeps 24,000 characters).
# The plan (what is applied, in which order, held how) is the jq module restore-plan.jq, shipped beside this
# script (src/runner/scripts.ts); `standby restore-preview` runs the same file locally.
set -Eeuo pipefail

# The kubectl invocation: where this script (with the state step) depends on its target (docs/restore.md, "The eks
# target"). `k3s kubectl` on the k3s runner (the default), `kubectl` on eks. Plain words split on single
# spaces, never evaluated as shell; anything else is refused before the first call (one table of cases:
# test/fixtures/kubectl-invocation-cases.json).
readonly KUBECTL_WORDS='^[A-Za-z0-9_./][A-Za-z0-9_./-]*( [A-Za-z0-9_./=:-]+)*$'
kubectl_invocation=${STANDBY_KUBECTL-k3s kubectl}
kubectl_cmd=()

readonly SCRIPT_VERSION=2
readonly MAX_APPLIED_REPORTED=150
# Tests point this at a scratch directory; the phase never sends it.
readonly BASE=${STANDBY_BASE_DIR:-/var/lib/standby}
readonly WAIT=${STANDBY_WAIT_SECONDS:-120}
# The kinds a restore holds and reads back; kubectl lists them all in one call.
readonly WORKLOAD_RESOURCES=deployments,statefulsets,replicasets,daemonsets,jobs,cronjobs
step="start"
files_restored=0
control_plane_applied=false
verified="[]"
# Bytes of each object fetched from S3, in order: the drill's cost counts the reads (src/cost/cli-downloads.ts).
downloads="[]"
applied="[]"
workload_images="[]"
cronjobs="[]"
held="[]"
state="null"
pinning="null"
cluster_owned="[]"
target_kind=""
loader_live=false
work=""
# The directory this script was delivered to, which holds restore-plan.jq.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

report() { # ok error
  jq -cn --argjson ok "$1" --arg error "$2" --arg step "$step" --argjson version "$SCRIPT_VERSION" \
    --argjson files "$files_restored" --argjson cp "$control_plane_applied" --argjson verified "$verified" \
    --argjson applied "$applied" --argjson cronjobs "$cronjobs" --argjson state "$state" --argjson max "$MAX_APPLIED_REPORTED" \
    --argjson held "$held" --argjson images "$workload_images" --argjson downloads "$downloads" \
    --arg kind "${target_kind:-}" --argjson pinning "$pinning" --argjson owned "$cluster_owned" \
    '{schema:"standby.restore-report/v2", script_version:$version, ok:$ok, step:$step,
      target_kind:(if $kind == "" then null else $kind end),
      error:(if $error == "" then null else $error end), verified:$verified, files_restored:$files, state:$state,
      manifests_applied:($applied | length), applied:($applied[:$max]), applied_truncated:(($applied | length) > $max),
      control_plane_applied:$cp, cronjobs:[$cronjobs[].name],
      cronjobs_suspended:[$cronjobs[] | select(.suspended) | .name], cronjobs_active:[$cronjobs[] | select(.suspended | not) | .name],
      held:$held, workload_images:($images[:$max]), workload_images_truncated:(($images | length) > $max),
      downloads:$downloads, pinning:$pinning, cluster_owned:$owned}'
}

die() {
  echo "restore: $step: $1" >&2
  report false "$step: $1"
  exit 1
}

kc() { "${kubectl_cmd[@]}" "$@"; }
log() { echo "restore: $*" >&2; }
# Anything that fails without its own message still ends in one report.
trap 'die "command failed at line $LINENO"' ERR
readonly LOADER=standby-state-loader
# A loader pod an error left behind is deleted on the way out (it never outlives the restore).
cleanup() {
  if [[ "$loader_live" == true ]]; then
    kc delete pod "$LOADER" -n "$STANDBY_NAMESPACE" --ignore-not-found --wait=false >&2 || true
  fi
  [[ -z "$work" ]] || rm -rf "$work"
}
trap cleanup EXIT

# --- inputs, checked again (defence in depth: values arrive as data, never as shell text) -----------
# valid_bucket <name>: S3's naming rules for general purpose buckets, the same as the phase's and Terraform's
# (docs/restore.md, "The backup URI contract").
valid_bucket() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ && "$1" != *..* && ! "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  case "$1" in
    xn--* | sthree-* | amzn-s3-demo-* | *-s3alias | *--ol-s3 | *.mrap | *--x-s3 | *--table-s3) return 1 ;;
  esac
}

# valid_backup_uri <uri>: one backup, s3://<bucket>/[<prefix>/]backups/<backup_id>[/], where the prefix is
# empty (the bucket root) or segments of S3's safe characters, none empty, '.' or '..'. Every case of
# test/fixtures/backup-uri-cases.json is run through this, the phase's parser and the Terraform validations.
valid_backup_uri() {
  local uri=${1%/} bucket key rest segment prefix id
  [[ "$uri" =~ ^s3://([^/]+)/(.*)$ ]] || return 1
  bucket=${BASH_REMATCH[1]} key=${BASH_REMATCH[2]}
  valid_bucket "$bucket" || return 1
  [[ "/$key" =~ ^(.*)/backups/([^/]+)$ ]] || return 1
  prefix=${BASH_REMATCH[1]} id=${BASH_REMATCH[2]}
  [[ "$id" =~ ^[A-Za-z0-9._-]{1,128}$ && ! "$id" =~ ^\.+$ && "$id" != backups ]] || return 1
  [[ -n "$prefix" ]] || return 0 # the bucket root
  rest="${prefix#/}/"
  while [[ -n "$rest" ]]; do
    segment=${rest%%/*} rest=${rest#*/}
    [[ "$segment" =~ ^[A-Za-z0-9!_.*\'()-]+$ && "$segment" != . && "$segment" != .. ]] || return 1
  done
}

# valid_cap <value>: a byte count, or a percentage 1-100% (the restore input's own rule, one table of cases).
valid_cap() {
  [[ "$1" =~ ^[0-9]{1,15}$ ]] && return 0
  [[ "$1" =~ ^([0-9]{1,3})%$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 100))
}

# valid_pinned_image <ref>: <registry/repository>[:tag]@sha256:<64 hex>, the grammar of the phase's image
# parser (src/validation/image-ref.ts); one table of cases for both: test/fixtures/eks-restore-input-cases.json.
valid_pinned_image() {
  local comp='[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*'
  local host='[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?'
  local re="^($host/)?$comp(/$comp)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$"
  [[ "$1" =~ $re ]]
}

label='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
if [[ ${#kubectl_invocation} -gt 200 || ! "$kubectl_invocation" =~ $KUBECTL_WORDS ]]; then
  die "STANDBY_KUBECTL is not a command of plain words: '${kubectl_invocation:0:60}'"
fi
read -ra kubectl_cmd <<<"$kubectl_invocation"
# A bad cap is a configuration error: refused before anything is downloaded, not after.
valid_cap "${STANDBY_UNDECLARED_CAP:-80%}" ||
  die "STANDBY_UNDECLARED_CAP is neither a byte count nor a percentage: '${STANDBY_UNDECLARED_CAP:0:40}'"
valid_backup_uri "${STANDBY_BACKUP_URI:-}" ||
  die "STANDBY_BACKUP_URI is not s3://<bucket>/[<prefix>/]backups/<backup_id> (docs/restore.md, the backup URI contract)"
[[ "${STANDBY_NAMESPACE:-}" =~ $label ]] || die "STANDBY_NAMESPACE is not a DNS-1123 label"
[[ "${STANDBY_STATE_CLAIM:-}" =~ $label ]] || die "STANDBY_STATE_CLAIM is not a DNS-1123 label"
[[ -z "${STANDBY_STATE_OWNER:-}" || "$STANDBY_STATE_OWNER" =~ ^[0-9]{1,10}:[0-9]{1,10}$ ]] || die "STANDBY_STATE_OWNER is not uid:gid"
target_kind=${STANDBY_TARGET_KIND:-k3s}
if [[ "$target_kind" == eks ]]; then
  [[ "${STANDBY_EXECUTION_ID:-}" =~ ^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$ ]] ||
    die "STANDBY_EXECUTION_ID is not a Kubernetes label value (the node group's standby.dev/execution label)"
  storage_class=${STANDBY_STORAGE_CLASS:-gp3}
  [[ "$storage_class" =~ ^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$ ]] || die "STANDBY_STORAGE_CLASS is not a storage class name"
  loader_image=${STANDBY_LOADER_IMAGE:-}
  valid_pinned_image "$loader_image" ||
    die "STANDBY_LOADER_IMAGE must be pinned by digest (<image>@sha256:<64 hex>), not '${loader_image:0:80}'"
  # restore-plan.jq's $target (every value above is checked to hold no JSON metacharacter).
  target=$(printf '{"kind":"eks","storage_class":"%s","execution":"%s"}' "$storage_class" "$STANDBY_EXECUTION_ID")
elif [[ "$target_kind" == k3s ]]; then
  restore_path=${STANDBY_RESTORE_PATH:-}
  [[ "$restore_path" =~ ^/[A-Za-z0-9._/-]+$ && "$restore_path/" != *//* && "$restore_path/" != */./* && "$restore_path/" != */../* ]] ||
    die "STANDBY_RESTORE_PATH must be an absolute path of plain segments"
  [[ "$restore_path" == "$BASE"/?* ]] || die "STANDBY_RESTORE_PATH must be inside $BASE/ (the state contract), not $restore_path"
  volume="standby-state-$STANDBY_NAMESPACE-$STANDBY_STATE_CLAIM"
  target=$(printf '{"kind":"k3s","volume":"%s","path":"%s"}' "$volume" "$restore_path")
else
  target_kind=""
  die "STANDBY_TARGET_KIND is neither k3s nor eks: '${STANDBY_TARGET_KIND:0:20}'"
fi
mkdir -p "$BASE/work"
work=$(mktemp -d "$BASE/work/restore.XXXXXX")

# json_concat <array> <array>: two compact JSON arrays (jq -c output) joined, without a jq per call.
json_concat() {
  if [[ "$1" == "[]" ]]; then printf '%s' "$2"
  elif [[ "$2" == "[]" ]]; then printf '%s' "$1"
  else printf '%s,%s' "${1%]}" "${2#[}"; fi
}

# fetch <s3 uri> <file>
fetch() {
  local bytes
  aws s3 cp --only-show-errors "$1" "$2" >&2 || die "cannot download $1"
  bytes=$(wc -c <"$2")
  downloads=$(json_concat "$downloads" "[$((bytes))]")
}

# verify_file <file> <bytes> <sha256>
verify_file() {
  local size digest
  size=$(stat -c %s "$1")
  [[ "$size" == "$2" ]] || die "$(basename "$1") is $size bytes, expected $2"
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$digest" == "$3" ]] || die "$(basename "$1") sha256 $digest differs from the declared $3"
}

# check_listing <tar>: refuse absolute names, '..', and anything but files, directories and links, before
# extracting. Names come from `tar --list` alone (escape quoting: one entry per line, a newline in a name
# shows as \n); the verbose listing is read for its first character only (the entry type), never for
# names or link targets, which ` -> ` inside a name would make ambiguous.
check_listing() {
  local names types name kind
  names=$(tar --list --quoting-style=escape -f "$1") || die "$(basename "$1") is not a readable tar archive"
  while IFS= read -r name; do
    [[ -n "$name" ]] || continue
    if [[ "$name" == *\\* ]]; then die "archive entry '$name' has a backslash or control character: refused"; fi
    if [[ "$name" == /* ]]; then die "archive entry '$name' is an absolute path"; fi
    if [[ "/$name/" == */../* ]]; then die "archive entry '$name' contains '..'"; fi
  done <<<"$names"
  types=$(tar --list --verbose --quoting-style=escape -f "$1" | cut -c1)
  [[ "$(wc -l <<<"$names")" == "$(wc -l <<<"$types")" ]] || die "$(basename "$1"): names and types do not line up"
  while IFS= read -r kind; do
    case "$kind" in
      - | d | l | h | '') ;;
      *) die "$(basename "$1") holds a device, FIFO or other special entry (type '$kind')" ;;
    esac
  done <<<"$types"
}

# check_tree <dir>: what extraction produced, read from the file system (NUL-separated, no parsing):
# only files, directories and links, every symlink resolving inside <dir>, every hard link's inode
# linked from inside <dir> only.
check_tree() {
  local root type entry target resolved real outside
  root=$(realpath -e "$1")
  while IFS= read -r -d '' type && IFS= read -r -d '' entry && IFS= read -r -d '' target; do
    case "$type" in
      f | d) ;;
      l)
        if [[ "$target" == /* ]]; then die "symlink '${entry#"$root"/}' points to the absolute path '$target'"; fi
        resolved=$(realpath -m -- "$entry") || die "symlink '${entry#"$root"/}' cannot be resolved"
        [[ "$resolved" == "$root" || "$resolved" == "$root"/* ]] ||
          die "symlink '${entry#"$root"/}' -> '$target' resolves outside the restore root"
        ;;
      *) die "'${entry#"$root"/}' is a device, FIFO or socket" ;;
    esac
  done < <(find "$root" -mindepth 1 -printf '%y\0%p\0%l\0')
  real=$(find "$root" -type f -links +1 -printf '%i %n\n' | sort | uniq -c | awk '$1 != $3 {print $2; exit}')
  outside=${real:-}
  [[ -z "$outside" ]] || die "a hard link in the archive shares a file with something outside the restore root"
}

# expansion_limit <artifact>: the most bytes <artifact> may expand to, in limit (and why, in limit_why).
# Its metadata.json raw_bytes plus 1% + 1 MiB; without one, STANDBY_UNDECLARED_CAP (bytes, or a
# percentage of the free space; default 80%); never more than the free space where it is decompressed.
expansion_limit() {
  local raw free cap
  raw=$(jq -r --arg a "$1" '.artifacts[$a].raw_bytes // empty | tostring' "$work/metadata.json")
  free=$(df -B1 --output=avail -- "$work" | tail -n 1 | tr -d ' ') || free=""
  [[ "$free" =~ ^[0-9]+$ ]] || die "cannot read the free space of $work (df said '$free')"
  if [[ -n "$raw" ]]; then
    [[ "$raw" =~ ^[0-9]{1,15}$ ]] || die "metadata.json raw_bytes of $1 is not a byte count: '${raw:0:40}'"
    limit=$((raw + raw / 100 + 1048576))
    limit_why="its declared raw_bytes $raw (+1% +1 MiB)"
  else
    cap=${STANDBY_UNDECLARED_CAP:-80%}
    if [[ "$cap" =~ ^([0-9]{1,3})%$ ]]; then
      limit=$((free * BASH_REMATCH[1] / 100))
    else
      limit=$cap # checked at the start (valid_cap)
    fi
    limit_why="no declared raw_bytes: the cap $cap (STANDBY_UNDECLARED_CAP)"
  fi
  if ((limit > free)); then
    limit=$free
    limit_why="the free space where it is decompressed ($free bytes)"
  fi
}

# decompress_capped <zst> <out>: writes at most limit + 1 bytes. head stops reading one byte past the
# limit and zstd dies of SIGPIPE, so an archive that expands past it (a zstd bomb) is cut off there.
decompress_capped() {
  local name got
  name=$(basename "$1")
  expansion_limit "$name"
  rm -f "$work/zstd.failed"
  { zstd -q -d -c -- "$1" 2>/dev/null || : >"$work/zstd.failed"; } | head -c "$((limit + 1))" >"$2" ||
    die "cannot write the decompressed $name (disk full?)"
  got=$(stat -c %s "$2")
  if ((got > limit)); then
    rm -f "$2"
    die "$name expands past $limit bytes, $limit_why: refused (decompression stopped there)"
  fi
  [[ ! -e "$work/zstd.failed" ]] || die "$name is not a valid zstd stream"
}

# unpack <tar.zst> <empty directory>: decompress, check the listing, extract, check the result; sets unpacked.
unpack() {
  local tarball
  tarball="$work/$(basename "$1" .zst)"
  decompress_capped "$1" "$tarball"
  check_listing "$tarball"
  [[ -d "$2" && -z "$(ls -A "$2")" ]] || die "refusing to extract into $2: not a fresh empty directory"
  tar -x -f "$tarball" -C "$2" --no-same-owner --no-same-permissions || die "cannot extract $(basename "$1")"
  check_tree "$2"
  unpacked=$(find "$2" -type f | wc -l)
}

step="download"
backup_uri=${STANDBY_BACKUP_URI%/}
log "downloading $backup_uri"
fetch "$backup_uri/metadata.json" "$work/metadata.json"
jq -e '.artifacts["state.tar.zst"].sha256 and .artifacts["manifests.tar.zst"].sha256' "$work/metadata.json" >/dev/null ||
  die "metadata.json lacks state.tar.zst or manifests.tar.zst"
for artifact in state.tar.zst manifests.tar.zst; do
  fetch "$backup_uri/$artifact" "$work/$artifact"
done

step="verify"
# What metadata.json pins for each artifact, read once: name, bytes and sha256 per line.
# shellcheck disable=SC2016 # jq program, not shell
jq -r '.artifacts | ["state.tar.zst", "manifests.tar.zst"][] as $a | "\($a) \(.[$a].bytes) \(.[$a].sha256)"' \
  "$work/metadata.json" >"$work/pinned.txt" || die "metadata.json's artifacts cannot be read"
while read -r artifact bytes sha; do
  verify_file "$work/$artifact" "$bytes" "$sha"
  # verify_file proved bytes a size and sha a sha256 (the file matched both), so they are JSON-safe here.
  verified=$(json_concat "$verified" "[{\"name\":\"$artifact\",\"bytes\":$bytes,\"sha256\":\"$sha\"}]")
done <"$work/pinned.txt"

# plan_jq <args...>: jq with restore-plan.jq's definitions in reach (`include "restore-plan";`).
plan_jq() { jq -L "$here" "$@"; }

# as_objects <file> <relative name>: every object of one .json/.yaml/.yml file, one compact JSON per line,
# Lists expanded. YAML is read by kubectl itself (`label --local` contacts no server) into JSON.
as_objects() {
  # shellcheck disable=SC2016 # jq program, not shell
  local expand='include "restore-plan"; manifest_objects($file)'
  case "$1" in
    *.json) plan_jq -c --arg file "$2" "$expand" "$1" || die "$2 is not valid JSON" ;;
    *) kc label --local -f "$1" -o json standby-yaml-to-json- | plan_jq -c --arg file "$2" "$expand" || die "$2 is not valid YAML" ;;
  esac
}

step="read-manifests"
[[ -f "$here/restore-plan.jq" ]] || die "restore-plan.jq is not beside restore.sh in $here"
mkdir "$work/manifests"
unpack "$work/manifests.tar.zst" "$work/manifests"
: >"$work/objects.jsonl"
manifest_files=0
while IFS= read -r -d '' file; do
  as_objects "$file" "${file#"$work/manifests/"}" >>"$work/objects.jsonl"
  manifest_files=$((manifest_files + 1))
done < <(find "$work/manifests" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 | LC_ALL=C sort -z)
((manifest_files > 0)) || die "manifests.tar.zst holds no .yaml, .yml or .json files"
# shellcheck disable=SC2016 # jq program, not shell
plan_jq -s --arg ns "$STANDBY_NAMESPACE" --arg claim "$STANDBY_STATE_CLAIM" --argjson target "$target" \
  'include "restore-plan"; restore_plan($ns; $claim; $target)' "$work/objects.jsonl" >"$work/plan.json"
plan_error=$(jq -r '.error // empty' "$work/plan.json")
[[ -z "$plan_error" ]] || die "$plan_error"

step="extract-state"
# The state step, the one part of the restore that differs by target (docs/restore.md, "The eks target").
# Either way the archive is checked and extracted here, into a fresh empty directory, by unpack (listing,
# extraction, the tree read back). k3s: that directory is swapped into the hostPath volume's place. eks:
# the checked tree is streamed into the claim's new volume by a loader pod, after the apply (load_state).
if [[ "$target_kind" == eks ]]; then
  fresh=$(mktemp -d "$work/state.XXXXXX")
else
  parent=$(dirname "$restore_path")
  mkdir -p "$parent"
  case "$(realpath -e "$parent")/" in
    "$(realpath -e "$BASE")"/*) ;;
    *) die "$parent resolves outside $BASE (a symlink on the way?)" ;;
  esac
  [[ ! -L "$restore_path" ]] || die "$restore_path is a symlink: refused"
  # A fresh empty directory next to the target (same file system, so the swap is one rename).
  fresh=$(mktemp -d "$parent/.restore.XXXXXX")
fi
unpack "$work/state.tar.zst" "$fresh"
files_restored=$unpacked
marker_file=$(jq -r '.state.marker_file // ".standby-state-marker"' "$work/metadata.json")
[[ "$marker_file" =~ ^[A-Za-z0-9._-]+$ ]] || die "metadata.json state.marker_file is not a plain file name"
expected_marker=$(jq -r '.state.marker // empty' "$work/metadata.json")
found_marker=""
if [[ -f "$fresh/$marker_file" ]]; then found_marker=$(head -c 64 "$fresh/$marker_file"); fi
if [[ -n "$expected_marker" && "$found_marker" != "$expected_marker" ]]; then
  die "state marker '${found_marker:-missing}' differs from metadata.json's $expected_marker"
fi
if [[ "$target_kind" == k3s ]]; then
  if [[ -n "${STANDBY_STATE_OWNER:-}" ]]; then chown -R --no-dereference "$STANDBY_STATE_OWNER" "$fresh"; fi
  chmod 0755 "$fresh"
  if [[ -e "$restore_path" ]]; then mv -T "$restore_path" "$work/previous-state"; fi
  mv -T "$fresh" "$restore_path"
  log "restored $files_restored files into $restore_path"
fi
state=$(jq -c --arg claim "$STANDBY_STATE_CLAIM" --arg volume "${volume:-}" --arg path "${restore_path:-}" \
  --arg marker "$found_marker" --arg expected "$expected_marker" --arg owner "${STANDBY_STATE_OWNER:-0:0}" \
  --arg class "${storage_class:-}" \
  '{claim:$claim, volume:(if $volume == "" then null else $volume end), path:(if $path == "" then null else $path end),
    owner:$owner, claimants:.claimants, bound:false,
    marker:(if $marker == "" then null else $marker end), marker_verified:($expected != "" and $marker == $expected)}
    + (if $class == "" then {} else {storage_class:$class, loader:null} end)' \
  "$work/plan.json")

# load_state (eks): a short-lived loader pod (restore-plan.jq's loader_pod: digest-pinned, pinned to the
# execution's node group like the workloads) mounts the claim, which is what makes a WaitForFirstConsumer
# class provision and bind it. The volume must be fresh (a new file system holds lost+found only). The
# checked tree is streamed in (`tar -c` of what unpack checked, never the archive's own entries), given
# its owner, and the marker is read back through the claim; then the loader is deleted.
load_state() {
  local listing claim_marker
  kc delete pod "$LOADER" -n "$STANDBY_NAMESPACE" --ignore-not-found --wait=true >&2 ||
    die "cannot delete an earlier attempt's loader pod $LOADER"
  # shellcheck disable=SC2016 # jq program, not shell
  plan_jq -cn --arg name "$LOADER" --arg claim "$STANDBY_STATE_CLAIM" --arg image "$loader_image" --argjson target "$target" \
    'include "restore-plan"; loader_pod($name; $claim; $image; $target)' | kc create -n "$STANDBY_NAMESPACE" -f - >&2 ||
    die "cannot create the loader pod $LOADER"
  loader_live=true
  kc wait --for=condition=Ready "pod/$LOADER" -n "$STANDBY_NAMESPACE" --timeout="${WAIT}s" >&2 ||
    die "the loader pod did not start within ${WAIT}s: no node labelled and tainted standby.dev/execution=$STANDBY_EXECUTION_ID, or no volume from storage class $storage_class"
  listing=$(kc exec "$LOADER" -n "$STANDBY_NAMESPACE" -c loader -- ls -A /state) || die "cannot list the claim's volume"
  [[ -z "$listing" || "$listing" == "lost+found" ]] ||
    die "the volume of claim $STANDBY_STATE_CLAIM is not fresh (it holds $(tr '\n' ' ' <<<"$listing" | head -c 200)): refusing to restore into it"
  tar -c -f - -C "$fresh" . | kc exec -i "$LOADER" -n "$STANDBY_NAMESPACE" -c loader -- tar -x -o -C /state >&2 ||
    die "cannot stream the state into claim $STANDBY_STATE_CLAIM"
  if [[ -n "${STANDBY_STATE_OWNER:-}" ]]; then
    kc exec "$LOADER" -n "$STANDBY_NAMESPACE" -c loader -- chown -R -h "$STANDBY_STATE_OWNER" /state >&2 ||
      die "cannot give the restored state to $STANDBY_STATE_OWNER"
  fi
  if [[ -n "$found_marker" ]]; then
    claim_marker=$(kc exec "$LOADER" -n "$STANDBY_NAMESPACE" -c loader -- cat "/state/$marker_file" | head -c 64) || claim_marker=""
    [[ "$claim_marker" == "$found_marker" ]] ||
      die "the marker read back through claim $STANDBY_STATE_CLAIM is '${claim_marker:-missing}', not the restored $found_marker"
  fi
  kc delete pod "$LOADER" -n "$STANDBY_NAMESPACE" --wait=true >&2 || die "cannot delete the loader pod $LOADER"
  loader_live=false
  log "loaded $files_restored files into claim $STANDBY_STATE_CLAIM through $LOADER (deleted)"
  state=$(jq -c --arg pod "$LOADER" --arg image "$loader_image" --argjson read "$([[ -n "$found_marker" ]] && echo true || echo false)" \
    '.loader = {pod:$pod, image:$image, deleted:true, marker_read_through_claim:$read}' <<<"$state")
}


# apply_ranked <plan objects file>: one server-side apply per dependency rank, waiting where the next rank
# depends on the previous one (CRDs Established before custom resources, the claim Bound before workloads).
# One jq splits the plan by rank, a line per non-empty rank with tab-separated fields (compact JSON escapes
# every tab and newline inside it; only the last field may be empty, as read collapses adjacent tabs):
# rank, the List to apply, its object ids, its workloads' images, its Kind/names for an error, its CRDs.
apply_ranked() {
  local rank list ids images names crds crd
  # shellcheck disable=SC2016 # jq program, not shell
  plan_jq -r 'include "restore-plan"; . as $objects | range(0; 7) as $r | [$objects[] | select(rank == $r)]
    | select(length > 0)
    | [($r | tostring), ({apiVersion:"v1", kind:"List", items:.} | tojson), ([.[] | object_id] | tojson),
       (workload_images | tojson), ([.[] | "\(.kind)/\(.metadata.name)" | gsub("\t"; " ")] | join(", ")),
       ([.[] | select(.kind == "CustomResourceDefinition") | .metadata.name] | join(" "))] | join("\t")' \
    "$1" >"$work/ranks.tsv" || die "cannot split $1 by dependency rank"
  while IFS=$'\t' read -r rank list ids images names crds; do
    printf '%s\n' "$list" >"$work/apply-$rank.json"
    kc apply --server-side --field-manager=standby --force-conflicts -n "$STANDBY_NAMESPACE" -f "$work/apply-$rank.json" >&2 ||
      die "server-side apply failed for $names"
    applied=$(json_concat "$applied" "$ids")
    workload_images=$(json_concat "$workload_images" "$images")
    for crd in $crds; do
      kc wait --for=condition=Established "crd/$crd" --timeout="${WAIT}s" >&2 || die "CustomResourceDefinition $crd not Established within ${WAIT}s"
    done
  done <"$work/ranks.tsv"
}

step="apply-manifests"
jq '.objects' "$work/plan.json" >"$work/objects.json"
if [[ "$target_kind" == eks ]]; then cluster_owned=$(jq -c '.cluster_owned' "$work/plan.json"); fi
apply_ranked "$work/objects.json"
if [[ "$target_kind" == eks ]]; then
  step="load-state"
  load_state
fi
step="bind-state"
kc wait --for=jsonpath='{.status.phase}'=Bound "pvc/$STANDBY_STATE_CLAIM" -n "$STANDBY_NAMESPACE" --timeout="${WAIT}s" >&2 ||
  die "claim $STANDBY_STATE_CLAIM did not bind to the restored volume ${volume:-} within ${WAIT}s"
if [[ "$target_kind" == eks ]]; then
  # The volume the provisioner created for the claim, by name (the PersistentVolume it is bound to).
  volume=$(kc get pvc "$STANDBY_STATE_CLAIM" -n "$STANDBY_NAMESPACE" -o json | jq -r '.spec.volumeName // empty')
fi
state=$(jq -c --arg volume "$volume" '.bound = true | .volume = $volume' <<<"$state")

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
  # Same rules as the manifests: this namespace or cluster-scoped, every workload held.
  # shellcheck disable=SC2016 # jq program, not shell
  as_objects "$bundle" "control-plane bundle" |
    plan_jq -s --arg ns "$STANDBY_NAMESPACE" --argjson target "$target" 'include "restore-plan"; control_plane_plan($ns; $target)' >"$work/control-plane.json" ||
    die "the control-plane bundle has objects outside namespace $STANDBY_NAMESPACE"
  apply_ranked "$work/control-plane.json"
  control_plane_applied=true
fi

step="check-held"
# Every workload in the namespace, read back from the API server in one call (kubectl lists several
# resource types at once, as one List: the kubectl get reference on kubernetes.io shows `kubectl get rc,services`): each must be held, and is reported with what activation will
# restore. One that runs (applied by something else, or not held) fails the restore.
listed=$(kc get "$WORKLOAD_RESOURCES" -n "$STANDBY_NAMESPACE" -o json) ||
  die "cannot list $WORKLOAD_RESOURCES in namespace $STANDBY_NAMESPACE"
cronjobs=$(jq -c '[.items[] | select(.kind == "CronJob") | {name:.metadata.name, suspended:(.spec.suspend == true)}]' <<<"$listed")
active=$(jq -r '[.[] | select(.suspended | not) | .name] | join(", ")' <<<"$cronjobs")
[[ -z "$active" ]] || die "CronJobs not suspended after the restore: $active (activation is a separate, approved step)"
held=$(jq -c '[.items[] | {kind, name:.metadata.name,
    original:(.metadata.annotations["standby.dev/held"] // "null" | fromjson),
    holding:(if .kind == "DaemonSet" then (.spec.template.spec.nodeSelector["standby.dev/held"] == "until-activation")
      elif .kind == "CronJob" or .kind == "Job" then (.spec.suspend == true) else (.spec.replicas == 0) end)}]' <<<"$listed")
running=$(jq -r '[.[] | select(.holding | not) | "\(.kind)/\(.name)"] | join(", ")' <<<"$held")
[[ -z "$running" ]] || die "workloads not held after the restore: $running (nothing may run before activation)"
if [[ "$target_kind" == eks ]]; then
  # The same workloads, each pinned to the execution's node group (selector and toleration), read back:
  # one line naming any that is not, then the pinning the report records.
  # shellcheck disable=SC2016 # jq program, not shell
  { IFS= read -r unpinned && IFS= read -r pinning; } < <(plan_jq -r --arg e "$STANDBY_EXECUTION_ID" 'include "restore-plan";
    pinning($e) as $pin | ([.items[] | select(is_pinned($pin) | not) | "\(.kind)/\(.metadata.name)"] | join(", ")),
    ($pin + {workloads: [.items[] | "\(.kind)/\(.metadata.name)"]} | tojson)' <<<"$listed")
  [[ -z "$unpinned" ]] || die "workloads not pinned to node group standby.dev/execution=$STANDBY_EXECUTION_ID after the restore: $unpinned"
fi

step="done"
report true ""
