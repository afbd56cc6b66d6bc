import type { KeyObject } from 'node:crypto';
import { meterS3Reads } from '../../aws/s3-read-meter.js';
import { readMetadata } from '../../backup/check.js';
import type { BackupLocation, BackupPrefix } from '../../backup/layout.js';
import { assessBackupAge, type BackupMetadata } from '../../backup/metadata.js';
import type { Candidate } from '../../backup/selection.js';
import type { ArtifactCheck } from '../../backup/verify.js';
import { resolveVerifyKey } from '../../backup/verify-key.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { BACKUP_AGE_METRIC, type RestorePrecheckInputs } from './inputs.js';
import { checkCandidate, findNewestComplete, findNewestGood, problemVerdict } from './newest-good.js';
import type { RestorePrecheckOutput } from './outputs.js';

export async function run(
  inputs: RestorePrecheckInputs,
  ctx: PhaseContext,
): Promise<PhaseResult<RestorePrecheckOutput>> {
  // What this phase read from S3, for the drill's cost: every request it made, whatever the verdict.
  const reads = meterS3Reads(ctx.aws.s3);
  const result = await check(inputs, ctx);
  return { ...result, outputs: { ...result.outputs, 's3-reads': reads() } };
}

async function check(
  inputs: RestorePrecheckInputs,
  ctx: PhaseContext,
): Promise<PhaseResult<RestorePrecheckOutput>> {
  if (inputs.mode === 'age-metric') return publishBackupAge(inputs, ctx);
  // Resolved once (one GetPublicKey for a KMS key); every candidate is then verified locally.
  const verifyKey = inputs.verifyKey ? await resolveVerifyKey(inputs.verifyKey, ctx.aws) : undefined;
  if (inputs.target.kind === 'one') return checkOne(inputs, inputs.target.backup, ctx, verifyKey);
  return checkNewest(inputs, inputs.target.prefix, ctx, verifyKey);
}

function chosenOutputs(backup: BackupLocation, metadata: BackupMetadata, ageHours: number) {
  return {
    'backup-id': metadata.backupId,
    'backup-uri': backup.uri,
    'backup-created-utc': metadata.createdUtc.toISOString(),
    'backup-age-hours': ageHours,
    'state-marker': metadata.stateMarker ?? '',
    'state-claim': metadata.stateClaim ?? '',
    'image-digests': metadata.imageDigests,
  };
}

async function checkOne(
  inputs: RestorePrecheckInputs,
  backup: BackupLocation,
  ctx: PhaseContext,
  verifyKey: KeyObject | undefined,
): Promise<PhaseResult> {
  const read = await readMetadata(ctx.aws.s3, backup);
  if (read.kind === 'failed')
    return { status: 'failed', outputs: { 'backup-uri': backup.uri }, summary: '', failure: read };
  const { metadata } = read;
  ctx.io.info(`Checking ${Object.keys(metadata.artifacts).length} artifact(s) of ${backup.uri}`);
  const verified = await checkCandidate(
    ctx.aws.s3,
    { location: backup, metadata, metadataBytes: read.bytes },
    { verifyKey, concurrency: inputs.concurrency },
  );
  const age = assessBackupAge(metadata.createdUtc, ctx.now(), inputs.maxBackupAgeHours);
  const candidate: Candidate = {
    backup_id: metadata.backupId,
    uri: backup.uri,
    verdict: verified.problem
      ? problemVerdict(verified.problem)
      : age.ok
        ? 'chosen'
        : age.ageHours < 0
          ? 'in_future'
          : 'too_old',
    detail: verified.problem?.message ?? age.reason,
  };
  const outputs = {
    ...chosenOutputs(backup, metadata, age.ageHours),
    integrity: verified.checks,
    candidates: [candidate],
  };
  const summary = renderChecks(verified.checks, age.reason);
  if (verified.problem) return { status: 'failed', outputs, summary, failure: verified.problem };
  if (!age.ok)
    return { status: 'failed', outputs, summary, failure: { message: age.reason, reason: 'backup_too_old' } };
  return { status: 'ok', outputs, summary };
}

async function checkNewest(
  inputs: RestorePrecheckInputs,
  prefix: BackupPrefix,
  ctx: PhaseContext,
  verifyKey: KeyObject | undefined,
): Promise<PhaseResult> {
  ctx.io.info(`Looking for the newest good backup under ${prefix.uri}`);
  const found = await findNewestGood(ctx.aws.s3, {
    prefix,
    now: ctx.now(),
    maxAgeHours: inputs.maxBackupAgeHours,
    maxCandidates: inputs.maxCandidates,
    concurrency: inputs.concurrency,
    progress: (line) => ctx.io.info(line),
    verifyKey,
  });
  const table = renderCandidates(found.candidates, found.olderIncomplete);
  if (!found.chosen || found.failure)
    return {
      status: 'failed',
      outputs: { 'backup-uri': '', candidates: found.candidates },
      summary: table,
      failure: found.failure ?? { message: 'no backup chosen', reason: 'backup_missing' },
    };
  const { listed, metadata, ageHours, ageReason, checks } = found.chosen;
  return {
    status: 'ok',
    outputs: {
      ...chosenOutputs(listed.location, metadata, ageHours),
      integrity: checks,
      candidates: found.candidates,
    },
    summary: [`Chosen: \`${listed.location.uri}\``, '', renderChecks(checks, ageReason), '', table].join(
      '\n',
    ),
  };
}

async function publishBackupAge(inputs: RestorePrecheckInputs, ctx: PhaseContext): Promise<PhaseResult> {
  if (inputs.target.kind !== 'prefix' || !inputs.metrics)
    throw new Error('age-metric needs a prefix and a metric target');
  const now = ctx.now();
  const found = await findNewestComplete(ctx.aws.s3, {
    prefix: inputs.target.prefix,
    now,
    maxCandidates: inputs.maxCandidates,
    concurrency: inputs.concurrency,
    progress: (line) => ctx.io.info(line),
  });
  const table = renderCandidates(found.candidates, 0);
  if (!found.newest)
    // No datum: the BackupAgeHours alarm treats missing data as breaching, so this still alarms.
    return {
      status: 'failed',
      outputs: { 'metric-published': false, candidates: found.candidates },
      summary: table,
      failure: {
        reason: 'backup_missing',
        message: `no complete backup under ${inputs.target.prefix.uri}: ${BACKUP_AGE_METRIC} not published`,
      },
    };
  const { listed, metadata } = found.newest;
  const age = assessBackupAge(metadata.createdUtc, now, inputs.maxBackupAgeHours);
  // Only the freshness schedule's mode publishes: a restore never loads the CloudWatch client.
  const { CloudWatchClient, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  await ctx.aws
    .client('cloudwatch', (c) => new CloudWatchClient(c))
    .send(
      new PutMetricDataCommand({
        Namespace: inputs.metrics.namespace,
        MetricData: [
          {
            MetricName: BACKUP_AGE_METRIC,
            Value: age.ageHours,
            Unit: 'None',
            Timestamp: now,
            Dimensions: inputs.metrics.dimensions,
          },
        ],
      }),
    );
  ctx.io.info(
    `${BACKUP_AGE_METRIC}=${age.ageHours} (${metadata.backupId}) published to ${inputs.metrics.namespace}`,
  );
  return {
    status: 'ok',
    outputs: {
      ...chosenOutputs(listed.location, metadata, age.ageHours),
      'metric-published': true,
      candidates: found.candidates,
    },
    summary: [`${BACKUP_AGE_METRIC} = ${age.ageHours} (${age.reason}).`, '', table].join('\n'),
  };
}

function renderCandidates(candidates: Candidate[], olderIncomplete: number): string {
  const rows = candidates.map((c) => [
    c.backup_id,
    c.verdict === 'chosen' ? '✅ chosen' : c.verdict,
    c.detail,
  ]);
  const lines = [
    markdownTable(['Backup', 'Verdict', 'Why'], rows.length ? rows : [['—', 'none', 'no backup found']]),
  ];
  if (olderIncomplete > 0)
    lines.push('', `${olderIncomplete} older unfinished backup folder(s) without metadata.json.`);
  return lines.join('\n');
}

function renderChecks(checks: ArtifactCheck[], ageLine: string): string {
  const rows = checks.map((check) => [
    check.name,
    check.result === 'ok' ? '✅ ok' : `❌ ${check.result}`,
    `${check.bytes_stored ?? '–'} / ${check.bytes_declared}`,
    check.checksum_source,
    String(check.bytes_downloaded),
  ]);
  return [
    `RPO: ${ageLine}.`,
    '',
    markdownTable(['Artifact', 'Result', 'Bytes (stored / declared)', 'Proof', 'Bytes downloaded'], rows),
  ].join('\n');
}
