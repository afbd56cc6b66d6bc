#!/usr/bin/env bash
# standby activate (runner side), version 1. Delivered through SSM Run Command by the activate phase, only
# after the execution's promotion was approved (the phase checks the promote receipt first).
#
# Inputs (environment, validated by the phase):
#   STANDBY_NAMESPACE   application namespace
#   STANDBY_CRONJOBS    comma-separated CronJob names restore created suspended
#   STANDBY_SERVING     "true" (a real-DR activation): once every CronJob runs, this runner is the serving
#                       standby. It writes the serving marker (the dead-man switch reads it and never shuts
#                       the instance down) and disables the switch's timer (issue 20.2).
#   STANDBY_EXECUTION_ID  recorded in the serving marker
# Each CronJob is un-suspended with a merge patch under its own field manager (standby-activate), so the
# change is attributable in managedFields. stdout carries exactly one compact JSON report.
set -Eeuo pipefail

# The kubectl invocation: where this script depends on its target (docs/restore.md, "The eks
# target"). `k3s kubectl` on the k3s runner (the default), `kubectl` on eks. Plain words split on single
# spaces, never evaluated as shell; anything else is refused before the first call (one table of cases:
# test/fixtures/kubectl-invocation-cases.json).
readonly KUBECTL_WORDS='^[A-Za-z0-9_./][A-Za-z0-9_./-]*( [A-Za-z0-9_./=:-]+)*$'
kubectl_invocation=${STANDBY_KUBECTL-k3s kubectl}
kubectl_cmd=()

readonly SCRIPT_VERSION=1
readonly BASE=${STANDBY_BASE_DIR:-/var/lib/standby}
label='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
failures="[]"
cronjobs="[]"
released="[]"
serving=null

kc() { "${kubectl_cmd[@]}" "$@"; }
log() { echo "activate: $*" >&2; }
fail() {
  log "FAIL: $1"
  failures=$(jq -c --arg f "$1" '. + [$f]' <<<"$failures")
}
report() {
  jq -cn --argjson version "$SCRIPT_VERSION" --argjson cronjobs "$cronjobs" --argjson failures "$failures" \
    --argjson serving "$serving" --argjson released "$released" \
    '{schema:"standby.activate-report/v1", script_version:$version, ok:($failures == []), cronjobs:$cronjobs, released:$released, serving:$serving, failures:$failures}'
}
trap 'fail "command failed at line $LINENO"; report; exit 1' ERR

[[ "${STANDBY_NAMESPACE:-}" =~ $label ]] || fail "STANDBY_NAMESPACE is not a DNS-1123 label"
if [[ ${#kubectl_invocation} -gt 200 || ! "$kubectl_invocation" =~ $KUBECTL_WORDS ]]; then
  fail "STANDBY_KUBECTL is not a command of plain words: '${kubectl_invocation:0:60}'"
fi
read -ra kubectl_cmd <<<"$kubectl_invocation"
IFS=, read -ra names <<<"${STANDBY_CRONJOBS:-}"
((${#names[@]} > 0)) || fail "STANDBY_CRONJOBS is empty: nothing to activate"
if [[ "$failures" != "[]" ]]; then
  report
  exit 1
fi

# suspended_of <name>: "true"/"false", or "missing".
suspended_of() {
  kc get cronjob "$1" -n "$STANDBY_NAMESPACE" -o json 2>/dev/null | jq -r '.spec.suspend == true' || echo missing
}

for name in "${names[@]}"; do
  if [[ ! "$name" =~ $label ]]; then
    fail "'$name' is not a CronJob name"
    continue
  fi
  before=$(suspended_of "$name")
  if [[ "$before" == missing ]]; then
    fail "CronJob $name not found in namespace $STANDBY_NAMESPACE"
    continue
  fi
  if ! kc patch cronjob "$name" -n "$STANDBY_NAMESPACE" --type=merge \
    -p '{"spec":{"suspend":false},"metadata":{"annotations":{"standby.dev/held":null}}}' \
    --field-manager=standby-activate >&2; then
    fail "could not un-suspend CronJob $name"
  fi
  after=$(suspended_of "$name")
  [[ "$after" == false ]] || fail "CronJob $name is still suspended"
  log "CronJob $name: suspended $before -> $after"
  cronjobs=$(jq -c --arg n "$name" --arg b "$before" --arg a "$after" \
    '. + [{name:$n, was_suspended:($b == "true"), suspended:($a == "true")}]' <<<"$cronjobs")
done

# release_held: every other workload restore held (issue 20.4), back to exactly what the backup said, read
# from its standby.dev/held annotation (replicas, Job suspend, DaemonSet node selector), the annotation
# removed in the same merge patch. A merge patch merges maps (RFC 7386), so the held node selector key is
# deleted explicitly (null), or the whole selector when the backup had none. Each release is reported; one that fails fails the activation.
# shellcheck disable=SC2016 # jq program, not shell
readonly RELEASE='.items[] | select(.metadata.annotations["standby.dev/held"] != null)
  | (.metadata.annotations["standby.dev/held"] | fromjson) as $o
  | {kind, name: .metadata.name, original: $o,
     patch: ({metadata: {annotations: {"standby.dev/held": null}}}
       + (if .kind == "DaemonSet" then {spec: {template: {spec: {nodeSelector:
            (if $o.nodeSelector == null then null else $o.nodeSelector + {"standby.dev/held": null} end)}}}}
          elif .kind == "Job" then {spec: {suspend: $o.suspend}}
          else {spec: {replicas: $o.replicas}} end))}'
release_held() {
  local listed item name
  # One call lists every kind a restore holds (kubectl returns them as one List, kind by kind; the
  # kubectl get reference on kubernetes.io shows `kubectl get rc,services`).
  listed=$(kc get deployments,statefulsets,replicasets,daemonsets,jobs -n "$STANDBY_NAMESPACE" -o json) ||
    { fail "cannot list the held workloads"; return; }
  while IFS= read -r item; do
    name=$(jq -r .name <<<"$item")
    if kc patch "$(jq -r '.kind | ascii_downcase' <<<"$item")" "$name" -n "$STANDBY_NAMESPACE" --type=merge \
      -p "$(jq -c .patch <<<"$item")" --field-manager=standby-activate >&2; then
      released=$(jq -c --argjson i "$item" '. + [{kind: $i.kind, name: $i.name, restored: $i.original}]' <<<"$released")
      log "$(jq -r .kind <<<"$item") $name released: $(jq -c .original <<<"$item")"
    else
      fail "could not release $(jq -r .kind <<<"$item") $name"
    fi
  done < <(jq -c "$RELEASE" <<<"$listed")
}
if [[ "$failures" == "[]" ]]; then release_held; fi

# mark_serving: the marker first (the watchdog skips on it even if the timer could not be stopped), then
# the timer off. Only after every CronJob runs: a half-activated standby keeps its dead-man switch.
mark_serving() {
  local marker="$BASE/serving"
  mkdir -p "$BASE"
  jq -cn --arg e "${STANDBY_EXECUTION_ID:-}" --arg at "$(date -u +%FT%TZ)" \
    '{serving:true, execution_id:$e, since:$at}' >"$marker.tmp"
  mv "$marker.tmp" "$marker"
  local timer=disabled
  systemctl disable --now standby-expiry.timer >&2 || { timer=still-enabled; fail "could not disable standby-expiry.timer (the serving marker still disarms the switch)"; }
  serving=$(jq -cn --arg m "$marker" --arg t "$timer" '{marker:$m, expiry_timer:$t}')
  log "serving standby: marker $marker, standby-expiry.timer $timer"
}
if [[ "$failures" == "[]" && "${STANDBY_SERVING:-}" == true ]]; then mark_serving; fi

report
if [[ "$failures" != "[]" ]]; then exit 1; fi
