import type { TargetKind } from '../targets/target.js';
import { injectedVariables, kindOfExecution, type RunnerKind, targetVariables } from './runner-contract.js';

/**
 * The injected variables for a destroy. Terraform wants a value for every variable without a default
 * even when it only destroys (hashicorp/terraform#23552), and the provider's region must be the one the
 * runner was built in. The values bringup recorded win; otherwise they are rebuilt from the execution
 * (the expiry is irrelevant to a destroy, it only has to be valid).
 */
export function destroyVariables(options: {
  recorded?: Record<string, string>;
  executionId: string;
  region: string;
  stateKey: string;
  kind?: RunnerKind;
  githubRunId?: string;
  /** The execution's target kind, when known (bringup's recorded value wins). */
  targetKind?: TargetKind;
  /** The execution's target name, when known (only tags depend on it: a destroy does not, but stays faithful). */
  target?: string;
  now: Date;
}): Record<string, string> {
  if (options.recorded) return { ...options.recorded, state_key: options.stateKey };
  const rebuilt = injectedVariables({
    region: options.region,
    executionId: options.executionId,
    kind: options.kind ?? kindOfExecution(options.executionId),
    expiresAt: options.now,
    githubRunId: options.githubRunId ?? '',
    stateKey: options.stateKey,
  });
  return { ...rebuilt, ...targetVariables({ kind: options.targetKind, name: options.target }) };
}
