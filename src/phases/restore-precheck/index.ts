import { artifactKey, METADATA_FILE } from '../../backup/layout.js';
import { type ArtifactSpec, assessBackupAge, MetadataError, parseMetadata } from '../../backup/metadata.js';
import { readText } from '../../backup/s3-objects.js';
import { type ArtifactCheck, verifyArtifact } from '../../backup/verify.js';
import { mapWithConcurrency } from '../../util/concurrency.js';
import { awsErrorCode, describeError } from '../../util/errors.js';
import type { PhaseDefinition, PhaseResult } from '../phase.js';
import { markdownTable } from '../summary.js';
import { parseRestorePrecheckInputs, type RestorePrecheckInputs, restorePrecheckInputs } from './inputs.js';

export const restorePrecheck: PhaseDefinition<RestorePrecheckInputs> = {
  name: 'restore-precheck',
  title: 'Restore precheck',
  description: 'Proves the backup is complete, intact and recent enough before any EC2 spend.',
  branding: { icon: 'check-square', color: 'green' },
  inputs: restorePrecheckInputs,
  outputs: {
    'backup-id': { description: 'backup_id from metadata.json' },
    'backup-uri': { description: 'Normalised s3:// URI of the backup folder' },
    'backup-created-utc': { description: 'created_utc from metadata.json (ISO-8601, UTC)' },
    'backup-age-hours': { description: 'Backup age in hours at check time (the RPO)' },
    integrity: { description: 'JSON array: each object key, sizes, checksum source and result' },
  },
  parseInputs: parseRestorePrecheckInputs,

  async run(inputs, ctx) {
    const { backup } = inputs;
    const metadataKey = artifactKey(backup, METADATA_FILE);
    let text: string;
    try {
      text = await readText(ctx.aws.s3, backup.bucket, metadataKey);
    } catch (error) {
      const missing = awsErrorCode(error).name === 'NoSuchKey';
      const message = missing
        ? `s3://${backup.bucket}/${metadataKey} does not exist`
        : `cannot read metadata.json: ${describeError(error)}`;
      return fail(inputs, message, missing ? 'backup_missing' : 'backup_unreadable');
    }
    let metadata: ReturnType<typeof parseMetadata>;
    try {
      metadata = parseMetadata(text, backup.backupId);
    } catch (error) {
      if (error instanceof MetadataError) return fail(inputs, error.message, 'metadata_invalid');
      throw error;
    }

    const names = Object.keys(metadata.artifacts).sort();
    ctx.io.info(`Checking ${names.length} artifact(s) of ${backup.uri}`);
    const checks = await mapWithConcurrency(names, inputs.concurrency, (name) =>
      verifyArtifact(
        ctx.aws.s3,
        backup.bucket,
        artifactKey(backup, name),
        name,
        metadata.artifacts[name] as ArtifactSpec,
      ),
    );
    const age = assessBackupAge(metadata.createdUtc, ctx.now(), inputs.maxBackupAgeHours);
    const bad = checks.filter((check) => check.result !== 'ok');
    const outputs = {
      'backup-id': metadata.backupId,
      'backup-uri': backup.uri,
      'backup-created-utc': metadata.createdUtc.toISOString(),
      'backup-age-hours': age.ageHours,
      integrity: checks,
    };
    const summary = renderChecks(checks, age.reason);
    if (bad.length > 0) {
      const message = bad.map((check) => `${check.name}: ${check.result} (${check.detail})`).join('; ');
      return {
        status: 'failed',
        outputs,
        summary,
        failure: { message, reason: bad[0]?.result === 'missing' ? 'backup_missing' : 'integrity_failed' },
      };
    }
    if (!age.ok)
      return {
        status: 'failed',
        outputs,
        summary,
        failure: { message: age.reason, reason: 'backup_too_old' },
      };
    return { status: 'ok', outputs, summary };
  },
};

function fail(inputs: RestorePrecheckInputs, message: string, reason: string): PhaseResult {
  return {
    status: 'failed',
    outputs: { 'backup-uri': inputs.backup.uri },
    summary: '',
    failure: { message, reason },
  };
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
