import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { AwsClients } from '../../src/aws/clients.js';
import {
  type BundleFile,
  DRILL_REQUIRED_PHASES,
  MANIFEST_FILE,
  RECEIPTS_DIR,
} from '../../src/evidence/bundle.js';
import { collectEvidence } from '../../src/evidence/collect.js';
import { buildManifest, serializeManifest } from '../../src/evidence/manifest.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { DEMO, seedDemoPublisher } from '../../src/local/demo-publisher.js';
import { findPhase } from '../../src/phases/registry.js';
import { runPhase } from '../../src/phases/run-phase.js';
import {
  type PhaseName,
  type Receipt,
  ReceiptSchema,
  serializeReceipt,
} from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { type ReceiptDraft, S3ReceiptStore, sha256Hex } from '../../src/receipts/store.js';
import { receiptDraft } from './receipt-draft.js';

export const RUN_START = '2026-11-21T21:05:00.000Z';
export const fixturePath = (name: string) => new URL(`../fixtures/aws/${name}`, import.meta.url).pathname;

/** Phases already in the catalog that run locally without GitHub, with the inputs a drill gives them. */
const REAL_PHASES: Partial<Record<PhaseName, Record<string, string>>> = {
  notify: { event: 'validated' },
  'request-approval': { 'release-metadata': '{"version":"2026.11.3","ticket":"CHG-1234"}' },
};

/** A clock that moves one second per reading, from RUN_START: receipts get fixed, ordered times. */
export function steppingClock(start = RUN_START): () => Date {
  let t = Date.parse(start);
  return () => {
    t += 1000;
    return new Date(t);
  };
}

export interface GoldenRun {
  aws: AwsClients;
  store: S3ReceiptStore;
  executionId: string;
}

/** The GitHub Actions run the golden receipts say wrote them (run 4242 of drill.yml in octo/standby). */
export const GOLDEN_RUN = {
  runId: '4242',
  repository: 'octo/standby',
  workflow: 'octo/standby/.github/workflows/drill.yml@refs/heads/main',
};

/** The environment a job of that run has (what src/receipts/source.ts reads). */
export function actionsEnv(run: { runId: string; workflow: string; attempt?: string } = GOLDEN_RUN) {
  return {
    ...process.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: run.runId,
    GITHUB_RUN_ATTEMPT: run.attempt ?? '1',
    GITHUB_REPOSITORY: GOLDEN_RUN.repository,
    GITHUB_WORKFLOW_REF: run.workflow,
    GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
  };
}

/**
 * A drill's receipts made by the project's own code on the emulator: check-health, notify and
 * request-approval through runPhase (the same path as the actions); phases that need GitHub or real
 * infrastructure (or are still being built) through S3ReceiptStore.write.
 */
export async function makeGoldenRun(
  options: {
    executionId?: string;
    phases?: readonly PhaseName[];
    status?: Partial<Record<PhaseName, Receipt['status']>>;
    retryCheckHealth?: boolean;
    /** Who wrote the receipts: run 4242 of drill.yml (default), another workflow, or a terminal. */
    source?: { runId: string; workflow: string } | 'terminal';
    /** Versioning on the receipt bucket (default on, as the Terraform module sets it). */
    versioning?: boolean;
  } = {},
): Promise<GoldenRun> {
  const executionId = options.executionId ?? 'drill-golden';
  const aws = new AwsClients();
  const now = steppingClock();
  await seedDemoPublisher(aws.s3, new Date(RUN_START));
  if (options.versioning !== false)
    await aws.s3.send(
      new PutBucketVersioningCommand({
        Bucket: DEMO.receiptBucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  const env = options.source === 'terminal' ? process.env : actionsEnv(options.source ?? GOLDEN_RUN);
  const store = new S3ReceiptStore(aws.s3, {
    bucket: DEMO.receiptBucket,
    prefix: 'standby/receipts',
    executionId,
  });
  const checkHealthInputs = {
    'execution-id': executionId,
    'receipt-bucket': DEMO.receiptBucket,
    'publish-bucket': DEMO.publishBucket,
    'publish-prefix': DEMO.publishPrefix,
    providers: DEMO.pairs.join(','),
    'force-run': 'true',
  };
  if (options.retryCheckHealth) {
    // First attempt fails on a bad input (still receipted), the retry succeeds: two files, one chain.
    await runPhase(
      findPhase('check-health'),
      new MemoryIO({ ...checkHealthInputs, 'max-freshness-hours': 'soon' }),
      { aws, now, env },
    );
  }
  const { result } = await runPhase(findPhase('check-health'), new MemoryIO(checkHealthInputs), {
    aws,
    now,
    env,
  });
  if (result.status !== 'ok') throw new Error(`golden check-health did not pass: ${result.failure?.message}`);
  const common = { 'execution-id': executionId, 'receipt-bucket': DEMO.receiptBucket };
  for (const phase of (options.phases ?? DRILL_REQUIRED_PHASES).filter((p) => p !== 'check-health')) {
    const status = options.status?.[phase] ?? 'ok';
    const real = REAL_PHASES[phase];
    if (real && status === 'ok') {
      // Built phases run for real (no SNS topic: reported, not an error); the rest are drafted receipts.
      const run = await runPhase(findPhase(phase), new MemoryIO({ ...common, ...real }), { aws, now, env });
      if (run.result.status !== 'ok')
        throw new Error(`golden ${phase} did not pass: ${run.result.failure?.message}`);
    } else {
      await store.write({ ...draft(executionId, phase, now, status), source: currentSource(env) });
    }
  }
  return { aws, store, executionId };
}

function draft(
  executionId: string,
  phase: PhaseName,
  now: () => Date,
  status: Receipt['status'],
): ReceiptDraft {
  const started = now();
  const ended = now();
  return receiptDraft({
    execution_id: executionId,
    phase,
    status,
    started_at: started.toISOString(),
    ended_at: ended.toISOString(),
    duration_ms: ended.getTime() - started.getTime(),
    aws: { account_id: '123456789012', region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL ?? null },
    error: status === 'ok' ? null : { message: `${phase} not run locally`, reason: 'not_run_locally' },
  });
}

export async function collectGolden(
  run: GoldenRun,
  alarmFixture = 'describe-alarm-history.json',
): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'standby-evidence-')), 'bundle');
  await collectEvidence({ receipts: run.store, outDir, alarmHistoryFiles: [fixturePath(alarmFixture)] });
  return outDir;
}

/** Edits one receipt of an in-memory bundle (the JSON object, re-serialised canonically). */
export function editReceipt(
  files: BundleFile[],
  name: string,
  edit: (receipt: Receipt) => void,
): BundleFile[] {
  return files.map((file) => {
    if (file.path !== `${RECEIPTS_DIR}/${name}`) return file;
    const receipt = JSON.parse(file.body.toString('utf8')) as Receipt;
    edit(receipt);
    return { path: file.path, body: Buffer.from(serializeReceipt(receipt)) };
  });
}

/** What a careful forger does after an edit: relink every receipt to its predecessor's new hash. */
export function relinkChain(files: BundleFile[]): BundleFile[] {
  const receipts = files
    .filter((f) => f.path.startsWith(`${RECEIPTS_DIR}/`))
    .map((f) => ({ file: f, receipt: ReceiptSchema.parse(JSON.parse(f.body.toString('utf8'))) }))
    .sort((a, b) => a.receipt.sequence - b.receipt.sequence);
  const rewritten = new Map<string, Buffer>();
  let previous: { key: string; sha256: string } | null = null;
  for (const { file, receipt } of receipts) {
    if (previous && receipt.previous)
      receipt.previous = {
        key: receipt.previous.key.replace(/[^/]+$/, previous.key),
        sha256: previous.sha256,
      };
    const body = Buffer.from(serializeReceipt(receipt));
    rewritten.set(file.path, body);
    previous = { key: file.path.slice(RECEIPTS_DIR.length + 1), sha256: sha256Hex(body) };
  }
  return files.map((f) =>
    rewritten.has(f.path) ? { path: f.path, body: rewritten.get(f.path) as Buffer } : f,
  );
}

/** ...and then rewrites the manifest to match. */
export function resealManifest(files: BundleFile[], executionId: string): BundleFile[] {
  const rest = files.filter((f) => f.path !== MANIFEST_FILE);
  return [
    ...rest,
    { path: MANIFEST_FILE, body: Buffer.from(serializeManifest(buildManifest(executionId, rest))) },
  ];
}
