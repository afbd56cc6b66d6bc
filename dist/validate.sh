#!/usr/bin/env bash
# standby validate (runner side), version 1. Delivered through SSM Run Command by the validate phase.
#
# Inputs (environment, each validated by the phase before it left GitHub):
#   STANDBY_NAMESPACE              application namespace; must exist (never created here)
#   STANDBY_CRONJOBS               comma-separated CronJob names that must exist in it (may be empty)
#   STANDBY_RUN_JOB                true: run one Job from STANDBY_JOB_CRONJOB with STANDBY_IMAGE_REF
#   STANDBY_JOB_CRONJOB, STANDBY_IMAGE_REF, STANDBY_JOB_TIMEOUT_SECONDS
#   STANDBY_READY_TIMEOUT_SECONDS  how long to wait for the API, nodes and kube-system pods (default 300)
#   STANDBY_POLL_SECONDS           pause between polls (default 5)
# Progress goes to stderr; stdout carries exactly one compact JSON report (SSM keeps 24,000 characters).
set -Eeuo pipefail

readonly SCRIPT_VERSION=1
readonly MAX_PODS_REPORTED=40
readonly LOG_TAIL_BYTES=2000
ready_timeout=${STANDBY_READY_TIMEOUT_SECONDS:-300}
poll=${STANDBY_POLL_SECONDS:-5}
failures="[]"
api_ready=false
nodes="[]"
pods="[]"
namespace_exists=false
cronjobs_found="[]"
cronjobs_missing="[]"
job="null"
job_name=""

kc() { k3s kubectl "$@"; }
log() { echo "validate: $*" >&2; }
fail() {
  log "FAIL: $1"
  failures=$(jq -c --arg f "$1" '. + [$f]' <<<"$failures")
}

report() {
  local result=passed
  if [[ "$failures" != "[]" ]]; then result=failed; fi
  jq -cn --arg result "$result" --argjson version "$SCRIPT_VERSION" --argjson api "$api_ready" \
    --argjson nodes "$nodes" --argjson pods "$pods" --arg ns "$STANDBY_NAMESPACE" --argjson ns_exists "$namespace_exists" \
    --argjson expected "$expected_cronjobs" --argjson found "$cronjobs_found" --argjson missing "$cronjobs_missing" \
    --argjson job "$job" --argjson failures "$failures" \
    '{schema:"standby.validate-report/v1", script_version:$version, result:$result, api_ready:$api,
      nodes:$nodes, pods:$pods, namespace:{name:$ns, exists:$ns_exists},
      cronjobs:{expected:$expected, found:$found, missing:$missing}, job:$job, failures:$failures}'
}

cleanup() {
  if [[ -n "$job_name" ]]; then
    kc delete job "$job_name" -n "$STANDBY_NAMESPACE" --cascade=background --ignore-not-found --wait=false >&2 || true
  fi
}
trap cleanup EXIT
# An unexpected failure still ends in one report.
trap 'fail "command failed at line $LINENO"; report; exit 1' ERR

: "${STANDBY_NAMESPACE:?STANDBY_NAMESPACE is not set}"
expected_cronjobs=$(jq -cn --arg list "${STANDBY_CRONJOBS:-}" '$list | split(",") | map(select(. != ""))')
started=$SECONDS

# --- k3s API ready ---
until [[ "$(kc get --raw /readyz 2>/dev/null || true)" == ok ]]; do
  if ((SECONDS - started >= ready_timeout)); then break; fi
  sleep "$poll"
done
if [[ "$(kc get --raw /readyz 2>/dev/null || true)" == ok ]]; then api_ready=true; else fail "k3s API not ready after ${ready_timeout}s"; fi

# --- nodes Ready and kube-system pods Ready (waits, since a fresh boot takes a moment) ---
observe() {
  nodes=$(kc get nodes -o json | jq -c '[.items[] | {name:.metadata.name,
    ready:([.status.conditions[]? | select(.type=="Ready") | .status] == ["True"]),
    reason:([.status.conditions[]? | select(.type=="Ready") | .reason][0] // null)}]')
  # Completed helper pods (k3s helm-install jobs) are Succeeded, not Ready: they are not core pods.
  pods=$(kc get pods -n kube-system -o json | jq -c '[.items[] | select(.status.phase != "Succeeded") | {name:.metadata.name,
    ready:([.status.conditions[]? | select(.type=="Ready") | .status] == ["True"]),
    reason:([.status.containerStatuses[]?.state.waiting.reason // empty][0] // .status.phase)}]')
  jq -e 'length > 0 and all(.ready)' <<<"$nodes" >/dev/null && jq -e 'length > 0 and all(.ready)' <<<"$pods" >/dev/null
}
if [[ "$api_ready" == true ]]; then
  until observe; do
    if ((SECONDS - started >= ready_timeout)); then break; fi
    sleep "$poll"
  done
  if [[ "$(jq length <<<"$nodes")" == 0 ]]; then fail "no nodes registered"; fi
  while IFS= read -r line; do fail "$line"; done < <(jq -r '.[] | select(.ready | not) | "node \(.name) not Ready (\(.reason // "unknown"))"' <<<"$nodes")
  if [[ "$(jq length <<<"$pods")" == 0 ]]; then fail "no kube-system pods found"; fi
  while IFS= read -r line; do fail "$line"; done < <(jq -r '.[] | select(.ready | not) | "kube-system pod \(.name) not Ready (\(.reason // "unknown"))"' <<<"$pods")
  pods=$(jq -c --argjson n "$MAX_PODS_REPORTED" '.[:$n]' <<<"$pods")

  # --- namespace (never created here) and the restored CronJobs ---
  if kc get namespace "$STANDBY_NAMESPACE" -o json >/dev/null 2>&1; then
    namespace_exists=true
    cronjobs_found=$(kc get cronjobs -n "$STANDBY_NAMESPACE" -o json | jq -c '[.items[].metadata.name]')
    cronjobs_missing=$(jq -cn --argjson e "$expected_cronjobs" --argjson f "$cronjobs_found" '$e - $f')
    while IFS= read -r name; do fail "CronJob $name missing in namespace $STANDBY_NAMESPACE"; done < <(jq -r '.[]' <<<"$cronjobs_missing")
  else
    fail "namespace $STANDBY_NAMESPACE does not exist (validate never creates it; restore applies it from the manifests)"
  fi
fi

run_job() {
  local name spec status uid backoff deadline succeeded failed pull_error log_tail cleaned=false
  name="standby-validate-$(date -u +%Y%m%d%H%M%S)"
  job_name=$name
  log "creating Job $job_name from cronjob/$STANDBY_JOB_CRONJOB with $STANDBY_IMAGE_REF"
  spec=$(kc create job "$job_name" --from="cronjob/$STANDBY_JOB_CRONJOB" -n "$STANDBY_NAMESPACE" --dry-run=client -o json |
    jq -c --arg image "$STANDBY_IMAGE_REF" --argjson deadline "$STANDBY_JOB_TIMEOUT_SECONDS" \
      '.spec.template.spec.containers |= map(.image = $image) | .spec.activeDeadlineSeconds = $deadline
       | .metadata.labels["app.kubernetes.io/managed-by"] = "standby"')
  kc create -f - <<<"$spec" >&2
  backoff=$(jq -r '.spec.backoffLimit // 6' <<<"$spec")
  deadline=$((SECONDS + STANDBY_JOB_TIMEOUT_SECONDS))
  status=timed_out
  while ((SECONDS < deadline)); do
    local current
    current=$(kc get job "$job_name" -n "$STANDBY_NAMESPACE" -o json)
    uid=$(jq -r '.metadata.uid // ""' <<<"$current")
    succeeded=$(jq -r '.status.succeeded // 0' <<<"$current")
    failed=$(jq -r '.status.failed // 0' <<<"$current")
    if jq -e '[.status.conditions[]? | select(.type=="Complete" and .status=="True")] | length > 0' <<<"$current" >/dev/null; then status=succeeded; break; fi
    # Failed is set once backoffLimit retries are used up (or the deadline passes): the Job's own verdict.
    if jq -e '[.status.conditions[]? | select(.type=="Failed" and .status=="True")] | length > 0' <<<"$current" >/dev/null; then status=failed; break; fi
    pull_error=$(kc get pods -n "$STANDBY_NAMESPACE" -l "job-name=$job_name" -o json |
      jq -r '[.items[].status.containerStatuses[]?.state.waiting.reason // empty | select(test("ImagePull|InvalidImageName|ErrImage"))][0] // ""')
    if [[ -n "$pull_error" ]]; then status="image_pull_error"; break; fi
    sleep "$poll"
  done
  log_tail=$(kc logs "job/$job_name" -n "$STANDBY_NAMESPACE" --tail=40 --all-containers 2>&1 | tail -c "$LOG_TAIL_BYTES" || true)
  if kc delete job "$job_name" -n "$STANDBY_NAMESPACE" --cascade=background --ignore-not-found --wait=false >&2; then
    cleaned=true
    job_name=""
  fi
  job=$(jq -cn --arg name "$name" --arg cronjob "$STANDBY_JOB_CRONJOB" --arg image "$STANDBY_IMAGE_REF" \
    --arg uid "${uid:-}" --arg status "$status" --argjson succeeded "${succeeded:-0}" --argjson failed "${failed:-0}" \
    --argjson backoff "$backoff" --arg logs "$log_tail" --argjson cleaned "$cleaned" --argjson timeout "$STANDBY_JOB_TIMEOUT_SECONDS" \
    '{name:$name, cronjob:$cronjob, image:$image, run_id:(if $uid == "" then null else $uid end), status:$status,
      succeeded:$succeeded, failed:$failed, backoff_limit:$backoff, timeout_seconds:$timeout, log_tail:$logs, cleaned_up:$cleaned}')
  case "$status" in
    succeeded) ;;
    failed) fail "Job from $STANDBY_JOB_CRONJOB failed after $failed attempt(s) (backoffLimit $backoff)" ;;
    image_pull_error) fail "Job from $STANDBY_JOB_CRONJOB cannot pull $STANDBY_IMAGE_REF ($pull_error)" ;;
    *) fail "Job from $STANDBY_JOB_CRONJOB did not finish within ${STANDBY_JOB_TIMEOUT_SECONDS}s" ;;
  esac
}

if [[ "${STANDBY_RUN_JOB:-false}" == true ]]; then
  if [[ "$failures" == "[]" ]]; then
    run_job
  else
    log "skipping the validation Job: the cluster checks failed"
  fi
fi

report
if [[ "$failures" != "[]" ]]; then exit 1; fi
