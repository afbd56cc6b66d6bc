import { createHash } from 'node:crypto';

/**
 * The shared contract between bringup/teardown/the sweeper and terraform/runner (coordination DESIGN,
 * "Executions, runners, state"): one execution, one runner, one state key.
 */
export const DEFAULT_STATE_KEY_PREFIX = 'standby/runners';

/** What bringup injects into the runner module; the module declares these without defaults. */
export const INJECTED_VARIABLES = [
  'region',
  'execution_id',
  'name',
  'expires_at',
  'kind',
  'github_run_id',
  'state_key',
] as const;
export type InjectedVariable = (typeof INJECTED_VARIABLES)[number];

/**
 * Injected beside those, from the execution's `target-kind`: what the runner module builds (a k3s
 * instance, or an eks node group). It has a default in the module, and runner modules from before
 * targets do not declare it (Terraform then ignores it: a -var-file entry for an undeclared variable is
 * a warning), which only a k3s target can live with.
 */
export const TARGET_KIND_VARIABLE = 'target_kind';

/**
 * Injected beside those, from the execution's `target`: the runner's standby-target tag, by which
 * bringup's runner limit counts only the same target's runners. It defaults to `default` in the module;
 * a runner without the tag (from a module or a bringup before targets) counts as target `default`.
 */
export const TARGET_VARIABLE = 'target';

/** The target's variables bringup injects and a destroy repeats; only those that are known. */
export function targetVariables(target: { name?: string; kind?: string }): Record<string, string> {
  return {
    ...(target.kind ? { [TARGET_KIND_VARIABLE]: target.kind } : {}),
    ...(target.name ? { [TARGET_VARIABLE]: target.name } : {}),
  };
}

export type RunnerKind = 'drill' | 'dr';

/** Tag keys on every runner resource. */
export const TAG = {
  name: 'Name',
  purpose: 'Purpose',
  managedBy: 'ManagedBy',
  execution: 'execution',
  kind: 'standby-kind',
  expiresAt: 'standby-expires-at',
  runId: 'standby-run-id',
  stateKey: 'standby-state-key',
  /** The target the runner's execution recovers (absent on runners from before targets: `default`). */
  target: 'standby-target',
  /** `true` once a real-DR activation made this standby the one serving: the sweeper never touches it. */
  serving: 'standby-serving',
} as const;

/** The two tags that make a resource a standby runner's (resolve-runner, teardown and the sweeper filter on them). */
export const RUNNER_TAGS = { Purpose: 'standby-dr', ManagedBy: 'standby' } as const;

const NAME_PATTERN = /^[a-z][a-z0-9-]{2,38}[a-z0-9]$/;

/**
 * `standby-` + the execution id lowercased, characters outside [a-z0-9-] replaced by '-'. When anything
 * was replaced, or the result would pass 40 characters, it is cut and `-` + the first 8 hex digits of
 * sha256(execution id) appended, so two ids that differ only in case or punctuation stay apart.
 */
export function runnerName(executionId: string): string {
  const lowered = `standby-${executionId.toLowerCase()}`;
  const cleaned = lowered.replace(/[^a-z0-9-]/g, '-');
  const changed = cleaned !== `standby-${executionId}`;
  let name = cleaned;
  if (changed || cleaned.length > 40) {
    const hash = createHash('sha256').update(executionId).digest('hex').slice(0, 8);
    name = `${cleaned.slice(0, 40 - 9).replace(/-+$/, '')}-${hash}`;
  }
  if (!NAME_PATTERN.test(name))
    throw new Error(`runner name '${name}' derived from '${executionId}' is invalid`);
  return name;
}

/** `<prefix>/<execution id>.tfstate`: the execution id alphabet is safe in an S3 key as it is. */
export function stateKeyFor(prefix: string, executionId: string): string {
  return `${prefix.replace(/\/+$/, '')}/${executionId}.tfstate`;
}

/** The S3-native lock object Terraform's S3 backend writes next to the state (use_lockfile). */
export const lockFileKey = (stateKey: string) => `${stateKey}.tflock`;

/** The DynamoDB LockID of a state, and of its digest item (Terraform keeps the state's MD5 there). */
export const lockId = (bucket: string, stateKey: string) => `${bucket}/${stateKey}`;
export const digestLockId = (bucket: string, stateKey: string) => `${lockId(bucket, stateKey)}-md5`;

/** RFC 3339 UTC with seconds and no fraction, as the module's validation and the watchdog expect. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface RunnerIdentity {
  region: string;
  executionId: string;
  kind: RunnerKind;
  expiresAt: Date;
  githubRunId: string;
  stateKey: string;
}

/** The values bringup (and teardown, the sweeper) inject; the same for the same execution. */
export function injectedVariables(runner: RunnerIdentity): Record<InjectedVariable, string> {
  return {
    region: runner.region,
    execution_id: runner.executionId,
    name: runnerName(runner.executionId),
    expires_at: rfc3339(runner.expiresAt),
    kind: runner.kind,
    github_run_id: runner.githubRunId,
    state_key: runner.stateKey,
  };
}

/** The kind an execution id implies when nothing else says (drill-<id> is a drill, anything else real DR). */
export function kindOfExecution(executionId: string): RunnerKind {
  return executionId.startsWith('drill-') ? 'drill' : 'dr';
}

/** Written last by user data, only when k3s answers /readyz and the tools are installed (terraform/runner). */
export const READY_MARKER = '/var/lib/standby/ready.json';
