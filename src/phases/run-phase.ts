import { verifyAccount } from '../aws/account-guard.js';
import { AwsClients, endpointOverride } from '../aws/clients.js';
import type { PhaseIO } from '../io/phase-io.js';
import { isSecretKey, sanitize, sanitizeRecord, sanitizeText } from '../receipts/sanitize.js';
import { currentSource } from '../receipts/source.js';
import { S3ReceiptStore, type StoredReceipt } from '../receipts/store.js';
import { describeError } from '../util/errors.js';
import { InputError } from '../validation/errors.js';
import {
  parseAccountId,
  parseBucketName,
  parseExecutionId,
  parseKeyPrefix,
} from '../validation/primitives.js';
import { COMMON_INPUTS, type PhaseDefinition, type PhaseResult } from './phase.js';
import { renderPhaseSummary } from './summary.js';

export interface RunOptions {
  aws?: AwsClients;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  /**
   * Record the phase as not run, with this reason, instead of running it: the local rehearsal uses it for
   * phases that need real infrastructure. The receipt says `skipped` and why; nothing is pretended.
   */
  notRunReason?: string;
}

export interface PhaseRun {
  result: PhaseResult;
  receipt?: StoredReceipt;
}

/**
 * Runs one phase the same way everywhere (Actions, CLI, local drill): common inputs, account guard,
 * phase inputs, the work, then exactly one receipt (failures too), outputs and the job summary.
 */
export async function runPhase(
  definition: PhaseDefinition,
  io: PhaseIO,
  options: RunOptions = {},
): Promise<PhaseRun> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const read = (name: string) =>
    io.input(name) || definition.inputs[name]?.default || COMMON_INPUTS[name]?.default || '';

  let common: ReturnType<typeof parseCommon>;
  let account: string | undefined;
  const aws = options.aws ?? new AwsClients({ region: io.input('aws-region') || undefined });
  try {
    common = parseCommon(read, env);
    account = await verifyAccount(aws.sts, common.expectedAccount);
  } catch (error) {
    // No receipt: its location is unknown, or the account is wrong and writing there would be a mutation.
    const result = sanitizeResult(
      failed(error, error instanceof InputError ? 'invalid_input' : 'account_guard'),
    );
    io.fail(result.failure?.message ?? 'unknown error');
    return { result };
  }

  const store = common.bucket ? new S3ReceiptStore(aws.s3, { ...common, bucket: common.bucket }) : undefined;
  const startedAt = now();
  // The result feeds the receipt, the job summary, step outputs and the failure message: its error,
  // summary and outputs go through the one sanitiser once, so no path can leak what another hides.
  let result = sanitizeResult(
    await work(definition, read, options.notRunReason, {
      io: sanitizingIO(io),
      aws,
      executionId: common.executionId,
      receipts: store,
      now,
    }),
  );
  const endedAt = now();

  let receipt: StoredReceipt | undefined;
  if (store) {
    try {
      receipt = await store.write({
        schema: 'standby.receipt/v1',
        execution_id: common.executionId,
        phase: definition.name,
        status: result.status,
        started_at: startedAt.toISOString(),
        ended_at: endedAt.toISOString(),
        duration_ms: Math.max(0, endedAt.getTime() - startedAt.getTime()),
        source: currentSource(env),
        aws: { account_id: account ?? null, region: aws.region, endpoint: endpointOverride() ?? null },
        inputs: recordedInputs(definition, io),
        outputs: result.outputs,
        error: result.failure ?? null,
      });
    } catch (error) {
      const why = sanitizeText(describeError(error));
      io.warning(`receipt not written: ${why}`);
      if (result.status !== 'failed')
        result = failed(new Error(`receipt not written: ${why}`), 'receipt_write_failed');
    }
  } else {
    io.warning('no receipt-bucket given: this phase leaves no receipt');
  }

  for (const [name, value] of Object.entries(result.outputs)) io.setOutput(name, formatOutput(value));
  io.setOutput('status', result.status);
  io.setOutput('receipt-uri', receipt?.uri ?? '');
  io.setOutput('receipt-sha256', receipt?.sha256 ?? '');
  await io.summary(renderPhaseSummary(definition.title, result, receipt));
  if (result.status === 'failed')
    io.fail(`${definition.name} failed: ${result.failure?.message ?? 'unknown error'}`);
  return { result, receipt };
}

async function work(
  definition: PhaseDefinition,
  read: (name: string) => string,
  notRunReason: string | undefined,
  context: Parameters<PhaseDefinition['run']>[1],
): Promise<PhaseResult> {
  try {
    if (notRunReason) return notRun(notRunReason);
    return await definition.run(definition.parseInputs(read), context);
  } catch (error) {
    return failed(error, error instanceof InputError ? 'invalid_input' : 'error');
  }
}

/** The phase's own log lines and summaries pass the sanitiser too (an AWS error quoted in a warning...). */
function sanitizingIO(io: PhaseIO): PhaseIO {
  return {
    input: (name) => io.input(name),
    setOutput: (name, value) => io.setOutput(name, value),
    summary: (markdown) => io.summary(sanitizeText(markdown)),
    info: (message) => io.info(sanitizeText(message)),
    warning: (message) => io.warning(sanitizeText(message)),
    fail: (message) => io.fail(sanitizeText(message)),
    mask: (value) => io.mask(value),
  };
}

function parseCommon(read: (name: string) => string, env: NodeJS.ProcessEnv) {
  const rawId = read('execution-id') || (env.GITHUB_RUN_ID ? `gh-${env.GITHUB_RUN_ID}` : '');
  const rawBucket = read('receipt-bucket');
  return {
    executionId: parseExecutionId('execution-id', rawId),
    bucket: rawBucket ? parseBucketName('receipt-bucket', rawBucket) : undefined,
    prefix: parseKeyPrefix('receipt-prefix', read('receipt-prefix')),
    expectedAccount: parseAccountId('expected-account-id', read('expected-account-id')),
  };
}

/** The inputs as given (not defaults), minus anything secret. */
function recordedInputs(definition: PhaseDefinition, io: PhaseIO): Record<string, unknown> {
  const recorded: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries({ ...COMMON_INPUTS, ...definition.inputs })) {
    const value = io.input(name);
    if (value !== '' && !spec.secret && !isSecretKey(name)) recorded[name] = value;
  }
  return sanitizeRecord(recorded);
}

/** The result with secrets replaced in its error, its summary markdown and its outputs (shapes kept). */
export function sanitizeResult(result: PhaseResult): PhaseResult {
  return {
    ...result,
    outputs: sanitizeRecord(result.outputs) as PhaseResult['outputs'],
    summary: sanitizeText(result.summary),
    failure: result.failure ? (sanitize(result.failure) as PhaseResult['failure']) : undefined,
  };
}

function notRun(reason: string): PhaseResult {
  return { status: 'skipped', outputs: { 'not-run': reason }, summary: `Not run: ${reason}.` };
}

function failed(error: unknown, reason: string): PhaseResult {
  const message = describeError(error);
  return { status: 'failed', outputs: {}, summary: '', failure: { message, reason } };
}

export function formatOutput(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
