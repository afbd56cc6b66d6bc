import type { AwsClients } from '../aws/clients.js';
import { MemoryIO } from '../io/memory-io.js';
import type { PhaseResult } from '../phases/phase.js';
import { findPhase } from '../phases/registry.js';
import { type RunOptions, runPhase } from '../phases/run-phase.js';
import type { Target } from '../targets/target.js';
import type { RehearsalStep } from './rehearsal-plan.js';

export interface TimelineEntry {
  phase: string;
  status: PhaseResult['status'];
  durationMs: number;
  note: string;
  /** The failure reason a failed phase recorded (src/receipts/failure-reasons.ts). */
  reason?: string;
  receiptUri?: string;
}

/** The common inputs that tell every phase its target (COMMON_INPUTS `target` and `target-kind`). */
export function targetInputs(target: Target): Record<'target' | 'target-kind', string> {
  return { target: target.name, 'target-kind': target.kind };
}

/** Runs rehearsal steps in order through runPhase, stopping at the first failure, as the pipeline does. */
export async function runSteps(
  steps: RehearsalStep[],
  common: Record<string, string>,
  aws: AwsClients,
  progress: (line: string) => void,
  /** Passed to runPhase as they are (a test shortens the SSM polling, or fixes the clock). */
  options: Omit<RunOptions, 'aws' | 'notRunReason'> = {},
): Promise<{ timeline: TimelineEntry[]; outputs: Record<string, Record<string, string>> }> {
  const timeline: TimelineEntry[] = [];
  const outputs: Record<string, Record<string, string>> = {};
  for (const step of steps) {
    progress(`${step.phase} ${step.notRun ? '(not run locally)' : '…'}`);
    const io = new MemoryIO({ ...common, ...step.inputs }, (line) => progress(`  ${line}`));
    const started = Date.now();
    const { result, receipt } = await runPhase(findPhase(step.phase), io, {
      ...options,
      aws,
      notRunReason: step.notRun,
    });
    outputs[step.phase] = io.outputs;
    timeline.push({
      phase: step.phase,
      status: result.status,
      durationMs: Date.now() - started,
      note: step.notRun ?? result.failure?.message ?? 'ran on the emulator',
      ...(result.failure?.reason ? { reason: result.failure.reason } : {}),
      receiptUri: receipt?.uri,
    });
    if (result.status === 'failed') break;
  }
  return { timeline, outputs };
}
