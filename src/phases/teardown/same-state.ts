import { outputsOf } from '../../receipts/outputs.js';
import type { StoredReceipt } from '../../receipts/store.js';
import {
  INJECTED_VARIABLES,
  TARGET_KIND_VARIABLE,
  TARGET_VARIABLE,
} from '../../terraform/runner-contract.js';

/** The state key and the runner-module variables an execution's bringup recorded in its receipt. */
export interface RecordedState {
  bucket: string;
  key: string;
  /** The variables bringup injected (region, name, ...); absent for receipts written before they were recorded. */
  moduleVars?: Record<string, string>;
  /** True for a receipt from before per-execution state keys (its key came from the state-key input). */
  legacy: boolean;
}

/** The key every bringup used before per-execution keys existed. */
export const LEGACY_STATE_KEY = 'standby/runner.tfstate';

/**
 * What the latest bringup of this execution recorded, failed ones included: a bringup that died half-way
 * through apply may still have created the runner, and its receipt names the state it was writing.
 * Undefined when bringup left no receipt (it was cancelled before writing one, or receipts are off).
 * bringup's output schema (zod) loads only here, as teardown runs (issue 24.4: a phase starts without zod).
 */
export async function recordedState(receipts: StoredReceipt[]): Promise<RecordedState | undefined> {
  const { BringupOutputs } = await import('../bringup/outputs.js');
  const latest = receipts
    .map((stored) => stored.receipt)
    .filter(
      (receipt) => receipt?.phase === 'bringup' && outputsOf(BringupOutputs, receipt)['plan-only'] !== true,
    )
    .sort((a, b) => (b?.sequence ?? 0) - (a?.sequence ?? 0))[0];
  if (!latest) return undefined;
  const bucket = typeof latest.inputs['state-bucket'] === 'string' ? latest.inputs['state-bucket'] : '';
  const recorded = outputsOf(BringupOutputs, latest);
  if (recorded['state-key']) {
    return {
      bucket,
      key: recorded['state-key'],
      moduleVars: moduleVarsOf(recorded['module-vars']),
      legacy: false,
    };
  }
  const given = latest.inputs['state-key'];
  return { bucket, key: typeof given === 'string' && given !== '' ? given : LEGACY_STATE_KEY, legacy: true };
}

function moduleVarsOf(vars: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!vars) return undefined;
  const picked = INJECTED_VARIABLES.filter((name) => typeof vars[name] === 'string').map((name) => [
    name,
    vars[name] as string,
  ]);
  if (picked.length !== INJECTED_VARIABLES.length) return undefined;
  // The target and its kind too, when bringup recorded them (bringups from before targets did not: default, k3s).
  const extra = [TARGET_KIND_VARIABLE, TARGET_VARIABLE].filter((name) => typeof vars[name] === 'string');
  return Object.fromEntries([...picked, ...extra.map((name) => [name, vars[name] as string])]);
}

/** Why teardown must not run against this bucket, or undefined when it is the one bringup used. */
export function bucketMismatch(recorded: RecordedState | undefined, bucket: string): string | undefined {
  if (!recorded || recorded.bucket === '' || recorded.bucket === bucket) return undefined;
  return (
    `bringup in this execution kept its state in s3://${recorded.bucket}/${recorded.key} but teardown was given ` +
    `state-bucket ${bucket}; destroying another state would leave the runner running. Pass the same state-bucket as bringup.`
  );
}
