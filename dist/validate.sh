#!/usr/bin/env bash
# standby validate (runner side), version 2. Delivered through SSM Run Command by the validate phase.
#
# Inputs (environment, each validated by the phase before it left GitHub):
#   STANDBY_NAMESPACE              application namespace; must exist (never created here)
#   STANDBY_CRONJOBS               comma-separated CronJob names that must exist in it (may be empty)
#   STANDBY_RUN_JOB                true: run one Job from STANDBY_JOB_CRONJOB with STANDBY_IMAGE_REF
#   STANDBY_JOB_CRONJOB, STANDBY_IMAGE_REF, STANDBY_JOB_TIMEOUT_SECONDS
#   STANDBY_STATE_CLAIM            optional: the restored state's claim; it must be Bound, and the Job must mount it
#   STANDBY_STATE_MARKER           optional: the marker metadata.json records; the Job's init container must read
#                                  exactly this from the mounted claim (proof the Job runs on the restored state)
#   STANDBY_MARKER_IMAGE           image of that init container (it runs `cat`; default STANDBY_IMAGE_REF)
#   STANDBY_EXPECT_SUSPENDED       true (default): every CronJob must still be suspended (validate runs before activation)
#   STANDBY_READY_TIMEOUT_SECONDS  how long to wait for the API, nodes and kube-system pods (default 300)
#   STANDBY_POLL_SECONDS           pause between polls (default 5)
# Progress goes to stderr; stdout carries exactly one compact JSON report (SSM keeps 24,000 characters).
set -Eeuo pipefail

# The kubectl invocation: where this script depends on its target (docs/restore.md, "The eks
# target"). `k3s kubectl` on the k3s runner (the default), `kubectl` on eks. Plain words split on single
# spaces, never evaluated as shell; anything else is refused before the first call (one table of cases:
# test/fixtures/kubectl-invocation-cases.json).
readonly KUBECTL_WORDS='^[A-Za-z0-9_./][A-Za-z0-9_./-]*( [A-Za-z0-9_./=:-]+)*$'
kubectl_invocation=${STANDBY_KUBECTL-k3s kubectl}
kubectl_cmd=()

readonly SCRIPT_VERSION=2
readonly MARKER_CONTAINER=standby-state-marker
readonly MARKER_MOUNT=/standby-state
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
cronjobs_active="[]"
state="null"
job="null"
job_name=""
# Cluster-scoped reads the caller's access does not reach (the eks runner's access entry is the edit role
# in the application namespace only: no nodes, no kube-system, no Namespace object). Reported, never passed.
not_permitted="[]"
errfile=""

kc() { "${kubectl_cmd[@]}" "$@"; }
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
    --argjson active "$cronjobs_active" --argjson state "$state" --argjson job "$job" --argjson failures "$failures" \
    --argjson np "$not_permitted" \
    '{schema:"standby.validate-report/v2", script_version:$version, result:$result, api_ready:$api,
      nodes:$nodes, pods:$pods, namespace:{name:$ns, exists:$ns_exists},
      cronjobs:{expected:$expected, found:$found, missing:$missing, active:$active}, state:$state, job:$job,
      not_permitted:$np, failures:$failures}'
}

cleanup() {
  [[ -z "$errfile" ]] || rm -f "$errfile"
  if [[ -n "$job_name" ]]; then
    kc delete job "$job_name" -n "$STANDBY_NAMESPACE" --cascade=background --ignore-not-found --wait=false >&2 || true
  fi
}
trap cleanup EXIT
# An unexpected failure still ends in one report.
trap 'fail "command failed at line $LINENO"; report; exit 1' ERR

: "${STANDBY_NAMESPACE:?STANDBY_NAMESPACE is not set}"
expected_cronjobs=$(jq -cn --arg list "${STANDBY_CRONJOBS:-}" '$list | split(",") | map(select(. != ""))')
if [[ ${#kubectl_invocation} -gt 200 || ! "$kubectl_invocation" =~ $KUBECTL_WORDS ]]; then
  fail "STANDBY_KUBECTL is not a command of plain words: '${kubectl_invocation:0:60}'"
  report
  exit 1
fi
read -ra kubectl_cmd <<<"$kubectl_invocation"
errfile=$(mktemp)
started=$SECONDS

# check_state: the restored claim is Bound (restore bound it to the volume holding the state).
check_state() {
  [[ -n "${STANDBY_STATE_CLAIM:-}" ]] || return 0
  local pvc
  if pvc=$(kc get pvc "$STANDBY_STATE_CLAIM" -n "$STANDBY_NAMESPACE" -o json 2>/dev/null); then
    state=$(jq -c '{claim:.metadata.name, bound:(.status.phase == "Bound"), volume:(.spec.volumeName // null)}' <<<"$pvc")
  else
    state=$(jq -cn --arg c "$STANDBY_STATE_CLAIM" '{claim:$c, bound:false, volume:null}')
  fi
  if ! jq -e '.bound' <<<"$state" >/dev/null; then fail "claim $STANDBY_STATE_CLAIM is not Bound in namespace $STANDBY_NAMESPACE"; fi
}

# with_marker_reader <job json>: adds an init container that prints the marker file from the volume the
# pod mounts for the state claim. It reads through the claim the workload itself uses, so what it prints
# proves which state the Job ran against (exit 0 alone proves nothing about that).
with_marker_reader() {
  # shellcheck disable=SC2016 # jq program, not shell
  jq -c --arg claim "${STANDBY_STATE_CLAIM:-}" --arg image "${STANDBY_MARKER_IMAGE:-$STANDBY_IMAGE_REF}" \
    --arg name "$MARKER_CONTAINER" --arg mount "$MARKER_MOUNT" '
    ([.spec.template.spec.volumes[]? | select(.persistentVolumeClaim.claimName == $claim) | .name][0]) as $volume
    | if $volume == null then error("no volume for the claim") else . end
    | .spec.template.spec.initContainers = [{name:$name, image:$image,
        command:["cat", "\($mount)/.standby-state-marker"],
        volumeMounts:[{name:$volume, mountPath:$mount, readOnly:true}]}] + (.spec.template.spec.initContainers // [])' <<<"$1"
}

# read_marker: what the init container printed, against what metadata.json recorded (null: not asked).
read_marker() {
  if [[ -z "${STANDBY_STATE_MARKER:-}" ]]; then
    echo null
    return 0
  fi
  local read
  read=$(kc logs "job/$job_name" -n "$STANDBY_NAMESPACE" -c "$MARKER_CONTAINER" 2>/dev/null | head -c 64 || true)
  jq -cn --arg e "$STANDBY_STATE_MARKER" --arg r "$read" '{expected:$e, read:(if $r == "" then null else $r end), verified:($r == $e)}'
}

# --- k3s API ready ---
until [[ "$(kc get --raw /readyz 2>/dev/null || true)" == ok ]]; do
  if ((SECONDS - started >= ready_timeout)); then break; fi
  sleep "$poll"
done
if [[ "$(kc get --raw /readyz 2>/dev/null || true)" == ok ]]; then api_ready=true; else fail "k3s API not ready after ${ready_timeout}s"; fi

# cluster_read <kubectl args...>: what kubectl printed, or `forbidden` when the API server refused the
# caller (its access does not reach that far); any other error fails.
cluster_read() {
  local got
  if got=$(kc "$@" 2>"$errfile"); then
    echo "$got"
  elif [[ "$(<"$errfile")" == *"(Forbidden)"* ]]; then
    echo forbidden
  else
    cat "$errfile" >&2
    return 1
  fi
}
not_permitted() { # <what>: recorded once
  not_permitted=$(jq -c --arg w "$1" 'if index([$w]) then . else . + [$w] end' <<<"$not_permitted")
}

# --- nodes Ready and kube-system pods Ready (waits, since a fresh boot takes a moment) ---
observe() {
  local listed
  listed=$(cluster_read get nodes -o json) || return 1
  if [[ "$listed" == forbidden ]]; then
    nodes=null
  else
    nodes=$(jq -c '[.items[] | {name:.metadata.name,
      ready:([.status.conditions[]? | select(.type=="Ready") | .status] == ["True"]),
      reason:([.status.conditions[]? | select(.type=="Ready") | .reason][0] // null)}]' <<<"$listed")
  fi
  listed=$(cluster_read get pods -n kube-system -o json) || return 1
  # Completed helper pods (k3s helm-install jobs) are Succeeded, not Ready: they are not core pods.
  if [[ "$listed" == forbidden ]]; then
    pods=null
  else
    pods=$(jq -c '[.items[] | select(.status.phase != "Succeeded") | {name:.metadata.name,
      ready:([.status.conditions[]? | select(.type=="Ready") | .status] == ["True"]),
      reason:([.status.containerStatuses[]?.state.waiting.reason // empty][0] // .status.phase)}]' <<<"$listed")
  fi
  { [[ "$nodes" == null ]] || jq -e 'length > 0 and all(.ready)' <<<"$nodes" >/dev/null; } &&
    { [[ "$pods" == null ]] || jq -e 'length > 0 and all(.ready)' <<<"$pods" >/dev/null; }
}
if [[ "$api_ready" == true ]]; then
  until observe; do
    if ((SECONDS - started >= ready_timeout)); then break; fi
    sleep "$poll"
  done
  if [[ "$nodes" == null ]]; then
    nodes="[]"
    not_permitted nodes
  else
    if [[ "$(jq length <<<"$nodes")" == 0 ]]; then fail "no nodes registered"; fi
    while IFS= read -r line; do fail "$line"; done < <(jq -r '.[] | select(.ready | not) | "node \(.name) not Ready (\(.reason // "unknown"))"' <<<"$nodes")
  fi
  if [[ "$pods" == null ]]; then
    pods="[]"
    not_permitted "kube-system pods"
  else
    if [[ "$(jq length <<<"$pods")" == 0 ]]; then fail "no kube-system pods found"; fi
    while IFS= read -r line; do fail "$line"; done < <(jq -r '.[] | select(.ready | not) | "kube-system pod \(.name) not Ready (\(.reason // "unknown"))"' <<<"$pods")
    pods=$(jq -c --argjson n "$MAX_PODS_REPORTED" '.[:$n]' <<<"$pods")
  fi

  # --- namespace (never created here) and the restored CronJobs ---
  # Without read access to Namespace objects, the namespace exists when the expected CronJobs are in it.
  namespace_read=$(cluster_read get namespace "$STANDBY_NAMESPACE" -o json 2>/dev/null) || namespace_read=""
  if [[ "$namespace_read" == forbidden ]]; then
    not_permitted namespace
    namespace_read=$(kc get -n "$STANDBY_NAMESPACE" cronjobs -o json | jq -r 'if (.items | length) > 0 then "seen" else "" end')
  fi
  if [[ -n "$namespace_read" ]]; then
    namespace_exists=true
    listed=$(kc get cronjobs -n "$STANDBY_NAMESPACE" -o json)
    cronjobs_found=$(jq -c '[.items[].metadata.name]' <<<"$listed")
    cronjobs_active=$(jq -c '[.items[] | select(.spec.suspend != true) | .metadata.name]' <<<"$listed")
    cronjobs_missing=$(jq -cn --argjson e "$expected_cronjobs" --argjson f "$cronjobs_found" '$e - $f')
    while IFS= read -r name; do fail "CronJob $name missing in namespace $STANDBY_NAMESPACE"; done < <(jq -r '.[]' <<<"$cronjobs_missing")
    if [[ "${STANDBY_EXPECT_SUSPENDED:-true}" == true ]]; then
      while IFS= read -r name; do fail "CronJob $name is not suspended: it would run before activation"; done < <(jq -r '.[]' <<<"$cronjobs_active")
    fi
    check_state
  else
    fail "namespace $STANDBY_NAMESPACE does not exist (validate never creates it; restore applies it from the manifests)"
  fi
fi

run_job() {
  local name spec status uid backoff deadline succeeded failed pull_error log_tail marker cleaned=false
  name="standby-validate-$(date -u +%Y%m%d%H%M%S)"
  job_name=$name
  log "creating Job $job_name from cronjob/$STANDBY_JOB_CRONJOB with $STANDBY_IMAGE_REF"
  spec=$(kc create job "$job_name" --from="cronjob/$STANDBY_JOB_CRONJOB" -n "$STANDBY_NAMESPACE" --dry-run=client -o json |
    jq -c --arg image "$STANDBY_IMAGE_REF" --argjson deadline "$STANDBY_JOB_TIMEOUT_SECONDS" \
      '.spec.template.spec.containers |= map(.image = $image) | .spec.activeDeadlineSeconds = $deadline
       | .metadata.labels["app.kubernetes.io/managed-by"] = "standby"')
  if [[ -n "${STANDBY_STATE_MARKER:-}" ]] && ! spec=$(with_marker_reader "$spec"); then
    job_name=""
    fail "cannot check the state marker: CronJob $STANDBY_JOB_CRONJOB does not mount the claim ${STANDBY_STATE_CLAIM:-}"
    return 0
  fi
  kc create -f - <<<"$spec" >&2
  backoff=$(jq -r '.spec.backoffLimit // 6' <<<"$spec")
  deadline=$((SECONDS + STANDBY_JOB_TIMEOUT_SECONDS))
  status=timed_out
  while ((SECONDS < deadline)); do
    local current
    current=$(kc get job "$job_name" -n "$STANDBY_NAMESPACE" -o json)
    # One read of the Job per poll: its counts, its verdict condition and its uid (last: it may be empty).
    # Failed is set once backoffLimit retries are used up (or the deadline passes): the Job's own verdict.
    read -r succeeded failed verdict uid < <(jq -r '[(.status.succeeded // 0 | tonumber), (.status.failed // 0 | tonumber),
      (.status.conditions // [] | if any(.[]; .type == "Complete" and .status == "True") then "complete"
        elif any(.[]; .type == "Failed" and .status == "True") then "failed" else "running" end),
      (.metadata.uid // "")] | map(tostring) | join(" ")' <<<"$current") ||
      { fail "job $job_name could not be read"; status=failed; break; }
    if [[ "$verdict" == complete ]]; then status=succeeded; break; fi
    if [[ "$verdict" == failed ]]; then status=failed; break; fi
    pull_error=$(kc get pods -n "$STANDBY_NAMESPACE" -l "job-name=$job_name" -o json |
      jq -r '[.items[].status.containerStatuses[]?.state.waiting.reason // empty | select(test("ImagePull|InvalidImageName|ErrImage"))][0] // ""')
    if [[ -n "$pull_error" ]]; then status="image_pull_error"; break; fi
    sleep "$poll"
  done
  log_tail=$(kc logs "job/$job_name" -n "$STANDBY_NAMESPACE" --tail=40 --all-containers 2>&1 | tail -c "$LOG_TAIL_BYTES" || true)
  marker=$(read_marker)
  if kc delete job "$job_name" -n "$STANDBY_NAMESPACE" --cascade=background --ignore-not-found --wait=false >&2; then
    cleaned=true
    job_name=""
  fi
  job=$(jq -cn --arg name "$name" --arg cronjob "$STANDBY_JOB_CRONJOB" --arg image "$STANDBY_IMAGE_REF" \
    --arg uid "${uid:-}" --arg status "$status" --argjson succeeded "${succeeded:-0}" --argjson failed "${failed:-0}" \
    --argjson backoff "$backoff" --arg logs "$log_tail" --argjson cleaned "$cleaned" --argjson timeout "$STANDBY_JOB_TIMEOUT_SECONDS" \
    --argjson marker "$marker" \
    '{name:$name, cronjob:$cronjob, image:$image, run_id:(if $uid == "" then null else $uid end), status:$status,
      succeeded:$succeeded, failed:$failed, backoff_limit:$backoff, timeout_seconds:$timeout, log_tail:$logs, cleaned_up:$cleaned,
      state_marker:$marker}')
  if [[ "$marker" != null ]] && ! jq -e '.verified' <<<"$marker" >/dev/null; then
    fail "the Job read state marker '$(jq -r '.read // "nothing"' <<<"$marker")' from claim $STANDBY_STATE_CLAIM, not the restored $STANDBY_STATE_MARKER"
  fi
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
