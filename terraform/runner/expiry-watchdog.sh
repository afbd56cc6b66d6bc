#!/bin/bash
# standby dead-man switch, run every minute by standby-expiry.timer (installed by user data before
# anything else, so a runner whose first boot fails half-way still dies on time).
#
# Reads this instance's own `standby-expires-at` tag (RFC 3339 UTC) from IMDSv2 and powers the instance
# off once that time has passed. The runner is launched with instance_initiated_shutdown_behavior =
# terminate, so powering off terminates it (and its delete-on-termination root volume). Phases that use
# the runner extend the tag with ec2:CreateTags; IMDS shows a changed tag without a restart.
#
# When the tag cannot be read (IMDS down, tags not exposed, a malformed value), what is safer differs:
#   drill: use the last expiry this script did read (cached on disk), so a drill runner still dies on
#          time; a drill killed early costs a re-run, a leaked one costs money every hour.
#   dr:    do nothing and log it. A real standby is what people fail over to; killing it because the
#          metadata service hiccuped is worse than running on. The sweeper (outside) is the backstop.
#   kind unknown (never read): treated as dr.
set -euo pipefail

state_dir=${STANDBY_STATE_DIR:-/var/lib/standby}
imds=${STANDBY_IMDS_URL:-http://169.254.169.254}
rfc3339_utc='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'

log() { echo "standby-expiry: $*"; }

# One IMDSv2 read: a session token first (PUT), then the path. Any failure (no endpoint, 404 when the
# tag is missing or tags are not exposed) makes the function fail.
imds_get() {
  local token
  token=$(curl --silent --fail --max-time 2 -X PUT "$imds/latest/api/token" \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') || return 1
  curl --silent --fail --max-time 2 -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/$1"
}

valid_time() {
  [[ $1 =~ $rfc3339_utc ]] && date -u -d "$1" +%s >/dev/null 2>&1
}

mkdir -p "$state_dir"

# A serving standby (a real-DR activation wrote this marker, src/runner/activate.sh) is what production
# runs on now: no clock ends it, only an approved teardown does (issue 20.2). Activation also disables
# this timer; the marker is the second guard, for a timer that could not be stopped or was re-enabled.
if [[ -f "$state_dir/serving" ]]; then
  log "serving standby ($state_dir/serving): never shut down by the clock; end it with the teardown workflow"
  exit 0
fi

kind=$(imds_get tags/instance/standby-kind 2>/dev/null || true)
if [[ $kind == drill || $kind == dr ]]; then
  printf '%s\n' "$kind" >"$state_dir/kind"
else
  kind=$(cat "$state_dir/kind" 2>/dev/null || true)
fi

expires=$(imds_get tags/instance/standby-expires-at 2>/dev/null || true)
if valid_time "$expires"; then
  printf '%s\n' "$expires" >"$state_dir/expires-at"
  source=imds
else
  cached=$(cat "$state_dir/expires-at" 2>/dev/null || true)
  if [[ $kind == drill ]] && valid_time "$cached"; then
    log "cannot read standby-expires-at from IMDS (got '${expires:0:40}'); drill runner: using the last value read, $cached"
    expires=$cached
    source=cache
  else
    log "cannot read standby-expires-at from IMDS (got '${expires:0:40}'); kind=${kind:-unknown}: not shutting down"
    exit 0
  fi
fi

now=$(date -u +%s)
deadline=$(date -u -d "$expires" +%s)
if ((now >= deadline)); then
  log "expired at $expires (from $source), now $(date -u +%FT%TZ): shutting down (the instance terminates)"
  shutdown -h now
else
  log "expires at $expires (from $source), $(((deadline - now) / 60)) min left"
fi
