import type { AwsClients } from '../aws/clients.js';
import type { PhaseIO } from '../io/phase-io.js';
import type { PhaseName } from '../receipts/envelope.js';
import type { S3ReceiptStore } from '../receipts/store.js';

export interface InputSpec {
  description: string;
  required?: boolean;
  /** The default the code applies; also written into the generated action.yml. */
  default?: string;
  /** Never recorded in a receipt, never echoed. */
  secret?: boolean;
  /** Parsed strictly as true/false; the CLI offers it as a flag (`--force-run` means true). */
  boolean?: boolean;
}

export interface OutputSpec {
  description: string;
}

export type OutputValue = string | number | boolean | null | object;

export interface PhaseResult {
  status: 'ok' | 'failed' | 'skipped';
  /** Action outputs by their hyphenated names; objects are written as JSON. */
  outputs: Record<string, OutputValue>;
  /** Markdown for the job summary, without the heading (the runner adds it). */
  summary: string;
  /** Why the phase failed, for the receipt and the failure notification. */
  failure?: { message: string; reason: string };
}

export interface PhaseContext {
  io: PhaseIO;
  aws: AwsClients;
  executionId: string;
  /** The execution's receipts, for phases that summarise earlier ones. Absent when receipts are off. */
  receipts?: S3ReceiptStore;
  now(): Date;
}

/** A DR phase: its action metadata, its input parsing (pure) and its work. */
export interface PhaseDefinition<Inputs = unknown> {
  name: PhaseName;
  title: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /** Validates raw inputs; throws InputError naming the input. */
  parseInputs(read: (name: string) => string): Inputs;
  run(inputs: Inputs, ctx: PhaseContext): Promise<PhaseResult>;
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
};

export const COMMON_OUTPUTS: Record<string, OutputSpec> = {
  status: { description: 'ok, failed or skipped' },
  'receipt-uri': { description: 's3:// URI of the receipt this phase wrote' },
  'receipt-sha256': { description: 'sha256 of the receipt written (the next receipt links to it)' },
};
