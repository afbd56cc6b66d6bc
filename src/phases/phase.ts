import type { z } from 'zod';
import type { AwsClients } from '../aws/clients.js';
import type { ScriptRunner } from '../aws/ssm-runner.js';
import type { InputSpec } from '../io/input-spec.js';
import type { PhaseIO } from '../io/phase-io.js';
import type { FailureReason, PhaseFailure } from '../receipts/failure-reasons.js';
import type { OutputSchema } from '../receipts/outputs.js';
import type { S3ReceiptStore } from '../receipts/store.js';
import type { Target } from '../targets/target.js';
import type { Clock } from '../util/clock.js';

export interface OutputSpec {
  description: string;
}

export type OutputValue = string | number | boolean | null | object;

export interface PhaseResult<Outputs extends object = Record<string, OutputValue>> {
  status: 'ok' | 'failed' | 'skipped';
  /**
   * Action outputs by their hyphenated names (objects are written as JSON), checked against the phase's
   * output schema before they are written anywhere. A failed phase sets those it got to.
   */
  outputs: Partial<Outputs>;
  /** Markdown for the job summary, without the heading (the runner adds it). */
  summary: string;
  /** Why the phase failed, for the receipt and the failure notification. */
  failure?: PhaseFailure;
}

/** The verdict of a check that lists its problems: ok when there are none, else failed naming them all. */
export function checkedResult<Outputs extends object>(
  outputs: Partial<Outputs>,
  summary: string,
  problems: string[],
  reason: FailureReason,
): PhaseResult<Outputs> {
  if (problems.length === 0) return { status: 'ok', outputs, summary };
  return { status: 'failed', outputs, summary, failure: { message: problems.join('; '), reason } };
}

/** How often phases that wait look again; tests shorten it instead of building the phase differently. */
export interface PollTiming {
  /** Between two looks at something that takes minutes (the SSM agent, the ready marker). */
  intervalMs: number;
  /** First and longest wait between two polls of one SSM command's result (it backs off in between). */
  commandFirstDelayMs?: number;
  commandMaxDelayMs?: number;
}

export const DEFAULT_POLL: PollTiming = { intervalMs: 5000 };

export interface PhaseContext {
  io: PhaseIO;
  aws: AwsClients;
  executionId: string;
  /** The target this execution is for: its name and what it restores onto (src/targets/target.ts). */
  target: Target;
  /** The execution's receipts, for phases that summarise earlier ones. Absent when receipts are off. */
  receipts?: S3ReceiptStore;
  now(): Date;
  /** Waits and the time they are measured against (rate-limit resets, deadlines). */
  clock: Clock;
  poll: PollTiming;
  /**
   * How runner scripts reach the runner (restore, validate, activate). Absent: SSM Run Command. Tests
   * hand in one that runs the script in a local sandbox.
   */
  scriptRunner?: ScriptRunner;
  /** Where a phase may write large scratch files: the runner's RUNNER_TEMP, else the system temp directory. */
  tempDir: string;
}

/** The part of a phase that does the work: loaded only when the phase runs (see PhaseDefinition.load). */
export interface PhaseCode<Inputs, Outputs extends object> {
  run(inputs: Inputs, ctx: PhaseContext): Promise<PhaseResult<Outputs>>;
}

/** A DR phase: its action metadata, its input parsing (pure), its typed outputs and, loaded lazily, its work. */
export interface PhaseDefinition<
  Inputs = unknown,
  Outputs extends object = Record<string, OutputValue>,
  Name extends string = string,
  Pipeline extends boolean = boolean,
> {
  name: Name;
  /** A receipt every complete drill leaves (the evidence check requires it), in catalogue order. */
  pipeline: Pipeline;
  title: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, InputSpec>;
  /**
   * The outputs' schema (zod), loaded only when it is needed, as its own chunk: by runPhase once the phase
   * has run, to check its outputs before the receipt is written, and by the build, which writes action.yml's
   * outputs from it (phaseOutputs). A phase starts without zod.
   */
  loadOutputSchema(): Promise<OutputSchema>;
  /** Validates raw inputs; throws InputError naming the input. */
  parseInputs(read: (name: string) => string): Inputs;
  /**
   * The phase's code, as its own chunk of the bundle: an action entry or a CLI command loads only the
   * phase it runs (and the AWS SDK clients that phase imports).
   */
  load(): Promise<PhaseCode<Inputs, Outputs>>;
}

type Spec<Inputs, Schema extends OutputSchema, Name extends string, Pipeline extends boolean> = Omit<
  PhaseDefinition<Inputs, z.output<Schema>, Name, Pipeline>,
  'loadOutputSchema'
> & { loadOutputSchema(): Promise<Schema> };

/** A phase definition, its outputs typed by its output schema (which action.yml's outputs come from too). */
export function definePhase<
  Inputs,
  Schema extends OutputSchema,
  const Name extends string,
  const Pipeline extends boolean,
>(spec: Spec<Inputs, Schema, Name, Pipeline>): PhaseDefinition<Inputs, z.output<Schema>, Name, Pipeline> {
  return spec;
}

/** The outputs' names and descriptions, from the phase's output schema: what its action.yml declares. */
export async function phaseOutputs(
  definition: Pick<PhaseDefinition, 'loadOutputSchema'>,
): Promise<Record<string, OutputSpec>> {
  return describeOutputs(await definition.loadOutputSchema());
}

export function describeOutputs(schema: OutputSchema): Record<string, OutputSpec> {
  return Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => {
      if (!field.description) throw new Error(`output '${name}' has no description (.describe)`);
      return [name, { description: field.description }];
    }),
  );
}

/** Inputs every phase takes: where receipts go, which run they belong to, which account is expected. */
export const COMMON_INPUTS: Record<string, InputSpec> = {
  'execution-id': {
    description:
      'Id shared by every phase of one DR run ([A-Za-z0-9._-]). Defaults to gh-<run id> in Actions.',
  },
  'receipt-bucket': { description: 'S3 bucket for phase receipts.', required: true },
  'receipt-prefix': { description: 'Key prefix for receipts.', default: 'standby/receipts' },
  'expected-account-id': {
    description: 'Refuse to run unless the AWS credentials belong to this 12-digit account.',
  },
  'aws-region': { description: 'AWS region; defaults to AWS_REGION from the credentials step.' },
  target: {
    description:
      "The protected target this execution is for (a-z 0-9 -, from the deployment's STANDBY_TARGETS); recorded in every receipt.",
    default: 'default',
  },
  'target-kind': {
    description:
      "What the target restores onto: k3s (this execution's own k3s instance) or eks (an existing EKS cluster).",
    default: 'k3s',
  },
};

export const COMMON_OUTPUTS: Record<string, OutputSpec> = {
  status: { description: 'ok, failed or skipped' },
  'receipt-uri': { description: 's3:// URI of the receipt this phase wrote' },
  'receipt-sha256': { description: 'sha256 of the receipt written (the next receipt links to it)' },
};
