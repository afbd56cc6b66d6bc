import { InputError, quoted } from '../validation/errors.js';
import {
  parseAccountId,
  parseBoolean,
  parseBucketName,
  parseExecutionId,
  parseKeyPrefix,
} from '../validation/primitives.js';
import { parsePairs } from '../validation/publish-names.js';
import { parseRunId } from '../validation/run-id.js';
import { type FailbackLayout, parseRunPrefixTemplate } from './layout.js';

export interface FailbackInputs {
  layout: FailbackLayout;
  primaryRunId: string;
  drRunId: string;
  /** False: dry run, nothing is written except receipts. */
  apply: boolean;
  /** Apply even when the two runs' listings differ (the divergence is still reported and receipted). */
  acceptDivergence: boolean;
  executionId: string;
  receipts?: { bucket: string; prefix: string };
  expectedAccountId?: string;
  /** The plan's pointer state digest: refuse unless the pointers are still exactly as planned. */
  expectStateDigest?: string;
}

/**
 * Validates everything before any AWS call. Applying needs the DR run id typed a second time
 * (`confirm`), so a copied command line cannot switch pointers by accident, and a receipt bucket,
 * so a switch is never left without evidence.
 */
export function parseFailbackInputs(read: (name: string) => string): FailbackInputs {
  const primaryRunId = parseRunId('primary-run-id', read('primary-run-id'));
  const drRunId = parseRunId('dr-run-id', read('dr-run-id'));
  if (primaryRunId === drRunId)
    throw new InputError('dr-run-id', `is the same as primary-run-id (${quoted(drRunId)})`);
  const apply = parseBoolean('apply', read('apply'), false);
  const receiptBucket = read('receipt-bucket').trim();
  if (apply) {
    const confirm = read('confirm').trim();
    if (confirm === '')
      throw new InputError(
        'confirm',
        'is required with --apply: type the DR run id again to confirm the switch',
      );
    if (confirm !== drRunId)
      throw new InputError(
        'confirm',
        `${quoted(confirm)} is not the DR run id ${quoted(drRunId)}; nothing was changed`,
      );
    if (receiptBucket === '')
      throw new InputError(
        'receipt-bucket',
        'is required with --apply: a pointer switch must leave receipts',
      );
  }
  return {
    layout: {
      bucket: parseBucketName('publish-bucket', read('publish-bucket')),
      prefix: parseKeyPrefix('publish-prefix', read('publish-prefix')),
      pairs: parsePairs(read('providers')),
      runPrefixTemplate: parseRunPrefixTemplate('run-prefix-template', read('run-prefix-template')),
    },
    primaryRunId,
    drRunId,
    apply,
    acceptDivergence: parseBoolean('accept-divergence', read('accept-divergence'), false),
    executionId: parseExecutionId('execution-id', read('execution-id')),
    receipts: receiptBucket
      ? {
          bucket: parseBucketName('receipt-bucket', receiptBucket),
          prefix: parseKeyPrefix('receipt-prefix', read('receipt-prefix') || 'standby/receipts'),
        }
      : undefined,
    expectedAccountId: parseAccountId('expected-account-id', read('expected-account-id')),
    expectStateDigest: parseDigest(read('expect-state-digest')),
  };
}

function parseDigest(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '') return undefined;
  if (!/^[0-9a-f]{64}$/.test(value))
    throw new InputError(
      'expect-state-digest',
      `${quoted(raw)} is not a sha256 (64 hex digits) from a failback plan`,
    );
  return value;
}

/** The inputs as every step receipt records them (nothing here is secret). */
export function recordableInputs(inputs: FailbackInputs): Record<string, unknown> {
  return {
    publish_bucket: inputs.layout.bucket,
    publish_prefix: inputs.layout.prefix,
    providers: inputs.layout.pairs,
    run_prefix_template: inputs.layout.runPrefixTemplate,
    primary_run_id: inputs.primaryRunId,
    dr_run_id: inputs.drRunId,
    apply: inputs.apply,
    accept_divergence: inputs.acceptDivergence,
    expect_state_digest: inputs.expectStateDigest ?? null,
  };
}
