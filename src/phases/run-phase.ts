import { tmpdir } from 'node:os';
import type { AwsClients } from '../aws/clients.js';
import type { PhaseIO } from '../io/phase-io.js';
import type { FailureReason } from '../receipts/failure-reasons.js';
import { isSecretKey, sanitize, sanitizeRecord, sanitizeText } from '../receipts/sanitize.js';
import type { StoredReceipt } from '../receipts/store.js';
import type { ReceiptWriter } from '../receipts/writer.js';
import { parseTargetKind, parseTargetName } from '../targets/target.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describeError } from '../util/errors.js';
import { actionInput, InputError, type InputNamer } from '../validation/errors.js';
import {
  parseAccountId,
  parseBucketName,
  parseExecutionId,
  parseKeyPrefix,
  parseOptionalRegion,
} from '../validation/primitives.js';
import {
  COMMON_INPUTS,
  DEFAULT_POLL,
  type OutputValue,
  type PhaseCode,
  type PhaseContext,
  type PhaseDefinition,
  type PhaseResult,
  type PollTiming,
} from './phase.js';
import { renderPhaseSummary } from './summary.js';

export interface RunOptions {
  aws?: AwsClients;
  /** An endpoint override for every AWS client (the CLI's --endpoint-url), when `aws` is not given. */
  endpoint?: string;
  now?: () => Date;
  clock?: Clock;
  poll?: Partial<PollTiming>;
  scriptRunner?: PhaseContext['scriptRunner'];
  env?: NodeJS.ProcessEnv;
  /**
   * Record the phase as not run, with this reason, instead of running it: the local rehearsal uses it for
   * phases that need real infrastructure. The receipt says `skipped` and why; nothing is pretended.
   */
  notRunReason?: string;
  /**
   * How a failure names a bad input: an action names its input (`input 'publish-bucket'`, the default),
   * the CLI the flag the operator typed (`--publish-bucket`).
   */
  nameInput?: InputNamer;
}

export interface PhaseRun {
  result: PhaseResult;
  receipt?: StoredReceipt;
}

type AnyPhase = PhaseDefinition<unknown, object>;

/**
 * Runs one phase the same way everywhere (Actions, CLI, local drill): common inputs, then the phase's
 * inputs (pure parsers: nothing heavy is loaded yet), then, only for valid inputs, the phase's code (its
 * own chunk of the bundle, with its AWS SDK clients) while the account guard runs, the work, exactly one
 * receipt (failures too, invalid phase inputs included), outputs and the job summary. Input that is not
 * valid never loads the phase's code, and input whose receipt cannot be written loads no AWS SDK at all.
 */
export async function runPhase(
  definition: AnyPhase,
  io: PhaseIO,
  options: RunOptions = {},
): Promise<PhaseRun> {
  maskSecretInputs(definition, io);
  const env = options.env ?? process.env;
  const nameInput = options.nameInput ?? actionInput;
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => new Date(clock.now()));
  const read = (name: string) =>
    io.input(name) || definition.inputs[name]?.default || COMMON_INPUTS[name]?.default || '';
  let common: ReturnType<typeof parseCommon>;
  try {
    common = parseCommon(read, env);
  } catch (error) {
    // No receipt: where it would go, or which execution it belongs to, is not known.
    return refused(
      io,
      failed(error, error instanceof InputError ? 'invalid_input' : 'account_guard', nameInput),
    );
  }
  // Decided before anything heavy loads: valid inputs load the phase's code (while the account guard
  // waits for STS), invalid ones load none and fail in the receipt.
  const parsed = parsePhaseInputs(definition, read, options.notRunReason, nameInput);
  const opened = await openReceipts(common, env, options, () => {
    if ('inputs' in parsed) parsed.code = loadCode(definition);
  });
  if ('error' in opened) {
    // No receipt: the account is wrong (or unknown) and writing there would be a mutation.
    const { error } = opened;
    return refused(
      io,
      failed(error, error instanceof InputError ? 'invalid_input' : 'account_guard', nameInput),
    );
  }
  const { aws, writer } = opened;

  const startedAt = now();
  // The result feeds the receipt, the job summary, step outputs and the failure message: its error,
  // summary and outputs go through the one sanitiser once, so no path can leak what another hides.
  io.debug(`${definition.name}: execution ${common.executionId}, receipts ${writer.store ? 'on' : 'off'}`);
  const context: PhaseContext = {
    io: sanitizingIO(io),
    aws,
    executionId: common.executionId,
    target: common.target,
    receipts: writer.store,
    now,
    clock,
    poll: { ...DEFAULT_POLL, ...options.poll },
    scriptRunner: options.scriptRunner,
    // The host's environment is read here, once; phases never read process.env themselves.
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
  let result = sanitizeResult(
    'result' in parsed ? parsed.result : await work(definition, parsed, nameInput, context),
  );
  const receipt = await writeReceipt(writer, definition, io, result, startedAt, now());
  if ('error' in receipt && result.status !== 'failed')
    result = failed(new Error(`receipt not written: ${receipt.error}`), 'receipt_write_failed');
  const stored = 'stored' in receipt ? receipt.stored : undefined;

  for (const [name, value] of Object.entries(result.outputs)) io.setOutput(name, formatOutput(value));
  io.setOutput('status', result.status);
  io.setOutput('receipt-uri', stored?.uri ?? '');
  io.setOutput('receipt-sha256', stored?.sha256 ?? '');
  await io.summary(renderPhaseSummary(definition.title, result, stored));
  if (result.status === 'failed')
    io.fail(`${definition.name} failed: ${result.failure?.message ?? 'unknown error'}`);
  return { result, receipt: stored };
}

/**
 * The account guard first, then the receipt writer. Only now are the SDK's clients loaded (a chunk that
 * fails to load throws: it is the step's error, as a missing bundle is, not an account_guard failure),
 * and the guard's STS GetCallerIdentity leaves before anything else loads: `whileAsking` (runPhase
 * starts loading the phase's code there) and the receipt writer load while it is in flight.
 */
async function openReceipts(
  common: ReturnType<typeof parseCommon>,
  env: NodeJS.ProcessEnv,
  options: RunOptions,
  whileAsking: () => void,
): Promise<{ aws: AwsClients; writer: ReceiptWriter } | { error: unknown }> {
  const [{ AwsClients }, { verifyAccount }] = await Promise.all([
    import('../aws/clients.js'),
    import('../aws/account-guard.js'),
  ]);
  let aws: AwsClients;
  let account: Promise<string | undefined>;
  let onSent = () => {};
  const sent = new Promise<void>((resolve) => {
    onSent = resolve;
  });
  try {
    aws = options.aws ?? new AwsClients({ region: common.region, endpoint: options.endpoint });
    account = verifyAccount(aws.sts, common.expectedAccount, undefined, onSent);
  } catch (error) {
    return { error };
  }
  // Until the request is on its way, or the guard is done without one (a stand-in client, no credentials).
  await Promise.race([sent, account.then(onSent, onSent)]);
  whileAsking();
  const { ReceiptWriter } = await import('../receipts/writer.js');
  try {
    const location = common.bucket ? { ...common, bucket: common.bucket } : undefined;
    const { expectedAccount, target } = common;
    const writer = await ReceiptWriter.open(aws, { location, expectedAccount, env, target, account });
    return { aws, writer };
  } catch (error) {
    return { error };
  }
}

/** A run refused before it has a receipt writer: the failure is reported, and no receipt is written. */
function refused(io: PhaseIO, failure: PhaseResult): PhaseRun {
  const result = sanitizeResult(failure);
  io.fail(result.failure?.message ?? 'unknown error');
  return { result };
}

type Code = Promise<PhaseCode<unknown, object>>;
type Parsed = { result: PhaseResult } | { inputs: unknown; code?: Code };

/**
 * The phase's inputs parsed (pure parsers: nothing heavy loads), or the result the receipt records
 * without running the phase: not run (rehearsal) or invalid input.
 */
function parsePhaseInputs(
  definition: AnyPhase,
  read: (name: string) => string,
  notRunReason: string | undefined,
  nameInput: InputNamer,
): Parsed {
  if (notRunReason) return { result: notRun(notRunReason) };
  try {
    return { inputs: parseInputs(definition, read) };
  } catch (error) {
    return { result: failed(error, error instanceof InputError ? 'invalid_input' : 'error', nameInput) };
  }
}

/**
 * The phase's code, loading. A failure to load it is the work's failure; it is marked handled here, so a
 * run the account guard stops first leaves no unhandled rejection behind.
 */
function loadCode(definition: AnyPhase): Code {
  const code = (async () => definition.load())();
  code.catch(() => undefined);
  return code;
}

async function writeReceipt(
  writer: ReceiptWriter,
  definition: AnyPhase,
  io: PhaseIO,
  result: PhaseResult,
  startedAt: Date,
  endedAt: Date,
): Promise<{ stored?: StoredReceipt } | { error: string }> {
  if (!writer.store) {
    io.warning('no receipt-bucket given: this phase leaves no receipt');
    return {};
  }
  try {
    const stored = await writer.write({
      phase: definition.name as Parameters<ReceiptWriter['write']>[0]['phase'],
      status: result.status,
      startedAt,
      endedAt,
      inputs: recordedInputs(definition, io),
      outputs: result.outputs,
      error: result.failure ?? null,
    });
    return { stored };
  } catch (error) {
    const why = sanitizeText(describeError(error));
    io.warning(`receipt not written: ${why}`);
    return { error: why };
  }
}

async function work(
  definition: AnyPhase,
  { inputs, code }: { inputs: unknown; code?: Code },
  nameInput: InputNamer,
  context: PhaseContext,
): Promise<PhaseResult> {
  try {
    const loaded = await (code ?? definition.load());
    // The phase's own log lines fold under its title; the receipt, outputs and summary stay outside.
    const result = await context.io.group(definition.title, () => loaded.run(inputs, context));
    return await checkOutputs(definition, result);
  } catch (error) {
    return failed(error, error instanceof InputError ? 'invalid_input' : 'error', nameInput);
  }
}

/**
 * The phase's inputs, a missing required one always reported as such (`is required`): a parser that
 * meets the empty value may complain about something else first (`'' is not s3://...`, another input).
 * A parser's own "is required ..." stands, since it says what to pass.
 */
function parseInputs(definition: AnyPhase, read: (name: string) => string): unknown {
  const missing = Object.entries(definition.inputs).find(
    ([name, spec]) => spec.required && read(name) === '',
  );
  const absent = missing && new InputError(missing[0], 'is required');
  let inputs: unknown;
  try {
    inputs = definition.parseInputs(read);
  } catch (error) {
    if (absent && !(error instanceof InputError && error.detail.startsWith('is required'))) throw absent;
    throw error;
  }
  if (absent) throw absent;
  return inputs;
}

/**
 * The outputs must be the ones the phase declares (its output schema, which action.yml is written
 * from, loaded only now: a phase starts without zod), with the declared types: anything else is a
 * defect of the phase, reported as its failure.
 */
async function checkOutputs(definition: AnyPhase, result: PhaseResult<object>): Promise<PhaseResult> {
  const outputs = result.outputs as Record<string, unknown>;
  const schema = await definition.loadOutputSchema();
  const undeclared = Object.keys(outputs).filter((name) => !(name in schema.shape));
  const checked = schema.partial().safeParse(outputs);
  if (undeclared.length === 0 && checked.success) return result as PhaseResult;
  const problems = [
    ...undeclared.map((name) => `${name}: not declared`),
    ...(checked.success ? [] : checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  throw new Error(`${definition.name} set outputs its schema does not allow (${problems.join('; ')})`);
}

/** The phase's own log lines and summaries pass the sanitiser too (an AWS error quoted in a warning...). */
function sanitizingIO(io: PhaseIO): PhaseIO {
  return {
    input: (name) => io.input(name),
    setOutput: (name, value) => io.setOutput(name, value),
    summary: (markdown) => io.summary(sanitizeText(markdown)),
    info: (message) => io.info(sanitizeText(message)),
    debug: (message) => io.debug(sanitizeText(message)),
    warning: (message, place) => io.warning(sanitizeText(message), place),
    notice: (message, place) => io.notice(sanitizeText(message), place),
    fail: (message, place) => io.fail(sanitizeText(message), place),
    mask: (value) => io.mask(value),
    group: (name, step) => io.group(name, step),
  };
}

/** Every input marked secret is masked before anything can log it (tokens a phase obtains: the phase). */
function maskSecretInputs(definition: AnyPhase, io: PhaseIO): void {
  for (const [name, spec] of Object.entries({ ...COMMON_INPUTS, ...definition.inputs })) {
    if (spec.secret || isSecretKey(name)) io.mask(io.input(name));
  }
}

function parseCommon(read: (name: string) => string, env: NodeJS.ProcessEnv) {
  const rawId = read('execution-id') || (env.GITHUB_RUN_ID ? `gh-${env.GITHUB_RUN_ID}` : '');
  const rawBucket = read('receipt-bucket');
  return {
    executionId: parseExecutionId('execution-id', rawId),
    bucket: rawBucket ? parseBucketName('receipt-bucket', rawBucket) : undefined,
    prefix: parseKeyPrefix('receipt-prefix', read('receipt-prefix')),
    expectedAccount: parseAccountId('expected-account-id', read('expected-account-id')),
    region: parseOptionalRegion('aws-region', read('aws-region')),
    target: {
      name: parseTargetName('target', read('target')),
      kind: parseTargetKind('target-kind', read('target-kind')),
    },
  };
}

/** The inputs as given (not defaults), minus secret ones; the store sanitises the values it records. */
function recordedInputs(definition: AnyPhase, io: PhaseIO): Record<string, unknown> {
  const recorded: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries({ ...COMMON_INPUTS, ...definition.inputs })) {
    const value = io.input(name);
    if (value !== '' && !spec.secret && !isSecretKey(name)) recorded[name] = value;
  }
  return recorded;
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

/** A phase not run (local rehearsal): `not-run` is runPhase's own output, beside the phase's. */
function notRun(reason: string): PhaseResult {
  return {
    status: 'skipped',
    outputs: { 'not-run': reason } as Record<string, OutputValue>,
    summary: `Not run: ${reason}.`,
  };
}

function failed(error: unknown, reason: FailureReason, nameInput: InputNamer = actionInput): PhaseResult {
  const message = error instanceof InputError ? error.named(nameInput) : describeError(error);
  return { status: 'failed', outputs: {}, summary: '', failure: { message, reason } };
}

export function formatOutput(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
