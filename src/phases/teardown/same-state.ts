import type { StoredReceipt } from '../../receipts/store.js';
import { terraformRunInputs } from '../../terraform/phase-inputs.js';

export interface StateLocation {
  bucket: string;
  key: string;
}

/**
 * The state bringup used in this execution, from its latest ok receipt (inputs as given, defaults
 * applied). Undefined when bringup left no receipt here (a manual teardown of an older run).
 */
export function bringupState(receipts: StoredReceipt[]): StateLocation | undefined {
  const bringups = receipts
    .map((stored) => stored.receipt)
    .filter((receipt) => receipt?.phase === 'bringup' && receipt.status === 'ok')
    .sort((a, b) => (b?.sequence ?? 0) - (a?.sequence ?? 0));
  const inputs = bringups[0]?.inputs;
  if (!inputs) return undefined;
  const given = (name: string) =>
    typeof inputs[name] === 'string' ? (inputs[name] as string) : (terraformRunInputs[name]?.default ?? '');
  return { bucket: given('state-bucket'), key: given('state-key') };
}

/** Why teardown must not run with this state, or undefined when it is the one bringup used. */
export function stateMismatch(
  bringup: StateLocation | undefined,
  teardown: StateLocation,
): string | undefined {
  if (!bringup) return undefined;
  if (bringup.bucket === teardown.bucket && bringup.key === teardown.key) return undefined;
  return (
    `bringup in this execution used s3://${bringup.bucket}/${bringup.key} but teardown was given ` +
    `s3://${teardown.bucket}/${teardown.key}; destroying another state would leave the runner running. ` +
    'Pass the same state-bucket and state-key as bringup.'
  );
}
