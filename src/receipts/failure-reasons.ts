/**
 * Every reason a receipt's `error.reason` can carry, with what it means for the caller: `usage` reasons
 * say the caller gave something wrong and nothing was changed (the CLI exits 2); every other reason is a
 * failure of the work itself (exit 1). Adding a reason means deciding its kind here: the type makes
 * phases, the CLI's exit codes and docs/receipts.md read the same table.
 */
export const FAILURE_REASONS = {
  // Any phase (runPhase)
  invalid_input: { kind: 'usage', about: 'an input is missing or invalid; nothing was changed' },
  account_guard: { kind: 'failed', about: 'the AWS credentials are not the expected account (no receipt)' },
  error: { kind: 'failed', about: 'an unexpected error (AWS, network) stopped the phase' },
  receipt_write_failed: { kind: 'failed', about: 'the work succeeded but its receipt could not be written' },
  // restore-precheck, backup-prune
  backup_missing: { kind: 'failed', about: 'no backup, or an object of it, where the URI points' },
  backup_unreadable: {
    kind: 'failed',
    about: "a backup's metadata.json or an artifact cannot be read (S3 refused)",
  },
  backup_unavailable: {
    kind: 'failed',
    about: 'S3 did not answer for a backup (5xx, throttling, timeout after retries): unknown, not corrupt',
  },
  metadata_invalid: { kind: 'failed', about: "a backup's metadata.json breaks the backup contract" },
  integrity_failed: { kind: 'failed', about: 'an artifact differs from its recorded size or checksum' },
  signature_invalid: {
    kind: 'failed',
    about:
      "a verification key is configured and the backup's metadata.json.sig is missing, by another key or does not match",
  },
  backup_too_old: { kind: 'failed', about: 'the backup is older than max-backup-age-hours (the RPO bound)' },
  no_good_backup: { kind: 'failed', about: 'prune found no good backup among the newest: nothing deleted' },
  // backup
  manifests_invalid: { kind: 'failed', about: 'the manifests cannot be read or break the state contract' },
  backup_exists: { kind: 'failed', about: 'a backup with that id already exists (backups are written once)' },
  signing_failed: {
    kind: 'failed',
    about:
      'the signing key cannot sign (missing, refused, not SIGN_VERIFY): no metadata.json written, the backup is unfinished',
  },
  state_unreadable: { kind: 'failed', about: 'the state directory cannot be archived' },
  // bringup, teardown, sweep
  missing_variables: { kind: 'failed', about: 'a runner-module variable has no value and no default' },
  terraform_failed: { kind: 'failed', about: 'terraform init, plan or apply failed' },
  runner_limit: {
    kind: 'failed',
    about: 'max-runners standby runners of the same target are already up in the region',
  },
  no_instance: { kind: 'failed', about: 'the applied module has no instance_id output' },
  state_key_mismatch: { kind: 'failed', about: 'teardown was given another state bucket than bringup used' },
  leftovers: { kind: 'failed', about: 'runner resources tagged with the execution remain after destroy' },
  sweep_incomplete: { kind: 'failed', about: 'the sweeper could not remove everything it should' },
  // resolve-runner
  runner_not_found: { kind: 'failed', about: "the execution's runner does not exist or is not running" },
  runner_mismatch: { kind: 'failed', about: "the instance's tags say it is not this execution's runner" },
  runner_ambiguous: { kind: 'failed', about: 'more than one live runner carries the execution id' },
  agent_offline: { kind: 'failed', about: 'the SSM agent did not come Online in time' },
  runner_not_ready: { kind: 'failed', about: 'the ready marker did not appear, or user data failed' },
  // restore, validate, activate (the runner's report)
  runner_timeout: { kind: 'failed', about: 'the runner script timed out or was cancelled' },
  report_truncated: { kind: 'failed', about: "the runner report reached SSM's output limit" },
  report_not_json: { kind: 'failed', about: 'the runner script printed no JSON report' },
  report_invalid: { kind: 'failed', about: 'the runner report misses fields (fails closed)' },
  restore_failed: { kind: 'failed', about: 'restore.sh reported a failed step' },
  validation_failed: { kind: 'failed', about: 'a validation check failed on the runner' },
  activation_failed: { kind: 'failed', about: 'activate.sh left a CronJob suspended' },
  // request-approval, promote, activate
  validation_not_passed: { kind: 'failed', about: "validate's result is not passed: nothing to approve" },
  no_decision: { kind: 'failed', about: 'the promotion gate has no review yet' },
  not_approved: { kind: 'failed', about: "activation refused: the execution's promotion was not approved" },
  approval_unproven: {
    kind: 'failed',
    about:
      "activation refused: the approval is not proven to be the execution's own run's, confirmed by GitHub",
  },
  drill_execution: { kind: 'failed', about: 'activation refused: a drill standby is never activated' },
  // failback steps
  read_failed: { kind: 'failed', about: 'failback could not read the pointers or list the runs' },
  refused: { kind: 'failed', about: 'failback refused: the pointers are not where the plan needs them' },
  conflict: { kind: 'failed', about: 'a pointer changed since the plan (conditional write refused)' },
  write_failed: { kind: 'failed', about: 'writing a pointer failed (rolled back)' },
  verify_failed: { kind: 'failed', about: 'the pointers read back do not match what was written' },
} as const satisfies Record<string, { kind: 'usage' | 'failed'; about: string }>;

export type FailureReason = keyof typeof FAILURE_REASONS;

/** Why a phase (or a failback step) failed, as its receipt records it. */
export interface PhaseFailure {
  message: string;
  reason: FailureReason;
}

/** True when the caller gave something wrong and nothing was changed (the CLI's exit code 2). */
export function isUsageFailure(failure: PhaseFailure | undefined): boolean {
  return failure !== undefined && FAILURE_REASONS[failure.reason].kind === 'usage';
}
