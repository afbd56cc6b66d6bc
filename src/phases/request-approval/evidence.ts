import { drillCost } from '../../cost/drill-cost.js';
import type { ReviewerSummary } from '../../operator/reviewer-summary.js';
import type { Receipt } from '../../receipts/envelope.js';
import { outputsOf } from '../../receipts/outputs.js';
import type { StoredReceipt } from '../../receipts/store.js';
import { DEFAULT_TARGET, type Target } from '../../targets/target.js';
import { parseIsoTimestamp } from '../../util/time.js';
import { BringupOutputs } from '../bringup/outputs.js';
import { ResolveRunnerOutputs } from '../resolve-runner/outputs.js';
import { RestoreOutputs } from '../restore/outputs.js';
import { RestorePrecheckOutputs } from '../restore-precheck/outputs.js';
import { ValidateOutputs } from '../validate/outputs.js';
import { imageDigest } from './inputs.js';

/** Phases whose evidence reviewers need; a missing one is listed, not guessed. */
const EXPECTED = ['restore-precheck', 'resolve-runner', 'restore', 'validate'] as const;

export interface SummaryContext {
  executionId: string;
  /** The target the execution is for; the default target when not given. */
  target?: Target;
  environment: string;
  imageRef?: string;
  releaseMetadata: Record<string, unknown>;
  triggeredAt?: Date;
  now: Date;
}

/** The latest attempt of each phase (a retried phase leaves both receipts; the newest one counts). */
export function latestByPhase(
  stored: StoredReceipt[],
): Map<string, { stored: StoredReceipt; receipt: Receipt }> {
  const latest = new Map<string, { stored: StoredReceipt; receipt: Receipt }>();
  for (const item of stored) {
    const receipt = item.receipt;
    if (!receipt) continue;
    const seen = latest.get(receipt.phase);
    if (!seen || receipt.sequence > seen.receipt.sequence)
      latest.set(receipt.phase, { stored: item, receipt });
  }
  return latest;
}

export function buildReviewerSummary(stored: StoredReceipt[], context: SummaryContext): ReviewerSummary {
  const latest = latestByPhase(stored);
  const ordered = [...latest.values()].sort((a, b) => a.receipt.sequence - b.receipt.sequence);
  const receiptOf = (phase: string) => latest.get(phase)?.receipt;
  const precheck = outputsOf(RestorePrecheckOutputs, receiptOf('restore-precheck'));
  const runner = outputsOf(ResolveRunnerOutputs, receiptOf('resolve-runner'));
  const bringup = outputsOf(BringupOutputs, receiptOf('bringup'));
  const validated = outputsOf(ValidateOutputs, receiptOf('validate'));
  const restored = outputsOf(RestoreOutputs, receiptOf('restore'));
  const imageRef = context.imageRef ?? text(receiptOf('validate')?.inputs['image-ref']) ?? undefined;
  const ageHours = precheck['backup-age-hours'];
  const hasAge = ageHours !== undefined && Number.isFinite(ageHours);
  const start = context.triggeredAt ?? earliestStart(ordered.map((entry) => entry.receipt));

  return {
    execution_id: context.executionId,
    target: context.target ?? DEFAULT_TARGET,
    environment: context.environment,
    instance_id: text(runner['instance-id']) ?? text(bringup['instance-id']),
    image_ref: imageRef ?? null,
    image_digest: imageDigest(imageRef) ?? null,
    release_metadata: context.releaseMetadata,
    backup: {
      uri: text(precheck['backup-uri']),
      id: text(precheck['backup-id']),
      created_utc: text(precheck['backup-created-utc']),
      age_hours: hasAge ? ageHours : null,
      image_digests: precheck['image-digests'] ?? [],
    },
    validation: { result: text(validated.result), job_run_id: text(validated['job-run-id']) },
    held: restored.held ?? [],
    receipts: ordered.map(({ stored: item, receipt }) => ({
      phase: receipt.phase,
      status: receipt.status,
      attempt: receipt.attempt,
      uri: item.uri,
      sha256: item.sha256,
      console_url: consoleUrl(item.uri, receipt.aws.region, receipt.aws.endpoint),
    })),
    timeline: ordered.map(({ receipt }) => ({
      phase: receipt.phase,
      status: receipt.status,
      started_at: receipt.started_at,
      ended_at: receipt.ended_at,
      duration_ms: receipt.duration_ms,
    })),
    rto_seconds: start ? Math.max(0, Math.round((context.now.getTime() - start.getTime()) / 1000)) : null,
    rpo_hours: hasAge ? (ageHours as number) : null,
    missing: EXPECTED.filter((phase) => !latest.has(phase)),
    // Every attempt counts (each made its S3 reads); the runner is counted up to now.
    cost_so_far: drillCost(
      stored.flatMap((item) => (item.receipt ? [item.receipt] : [])),
      context.now,
    ),
  };
}

function text(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function earliestStart(receipts: Receipt[]): Date | undefined {
  const times = receipts
    .map((r) => parseIsoTimestamp(r.started_at))
    .filter((d): d is Date => d !== undefined);
  return times.length > 0 ? new Date(Math.min(...times.map((d) => d.getTime()))) : undefined;
}

/** A link reviewers can click (AWS console), only for real AWS; emulator receipts have no console. */
function consoleUrl(uri: string, region: string, endpoint: string | null): string | null {
  if (endpoint) return null;
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return null;
  const [, bucket, key] = match;
  return `https://s3.console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${encodeURIComponent(key as string)}`;
}
