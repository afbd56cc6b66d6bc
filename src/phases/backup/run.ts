import { hostname } from 'node:os';
import { BackupExistsError, type BackupProgress, createBackup } from '../../backup/create.js';
import { exportNamespace, kubectlRunner } from '../../backup/export.js';
import { backupIn } from '../../backup/layout.js';
import {
  checkStateClaim,
  type KubeObject,
  loadManifestDirectory,
  ManifestError,
} from '../../backup/manifests.js';
import type { BackupSignature } from '../../backup/signature.js';
import { SIGNATURE_OBJECT } from '../../backup/signature-names.js';
import { ArchiveError } from '../../backup/tar-writer.js';
import { STANDBY_VERSION } from '../../backup/version.js';
import type { PhaseFailure } from '../../receipts/failure-reasons.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { type BackupInputs, backupIdFor } from './inputs.js';
import type { BackupOutput } from './outputs.js';
import { backupSigner, SigningFailed } from './signer.js';

const MIB = 1024 * 1024;

/** Progress lines at most every `everyMs`, plus each artifact's last one: readable on a terminal and in logs. */
function progressReporter(ctx: PhaseContext, everyMs = 2000) {
  let last = 0;
  return (event: BackupProgress) => {
    const now = Date.now();
    const done = event.phase === 'upload' && event.sentBytes === event.totalBytes;
    if (!done && now - last < everyMs) return;
    last = now;
    if (event.phase === 'archive')
      ctx.io.info(
        `${event.artifact}: ${(event.rawBytes / MIB).toFixed(1)} MiB archived → ${(event.bytes / MIB).toFixed(1)} MiB compressed`,
      );
    else
      ctx.io.info(
        `${event.artifact}: ${(event.sentBytes / MIB).toFixed(1)} of ${(event.totalBytes / MIB).toFixed(1)} MiB uploaded (${Math.floor((100 * event.sentBytes) / Math.max(1, event.totalBytes))}%)`,
      );
  };
}

async function manifestsFor(inputs: BackupInputs): Promise<{ objects: KubeObject[]; source: string }> {
  if (inputs.manifests.kind === 'dir')
    return { objects: await loadManifestDirectory(inputs.manifests.dir), source: inputs.manifests.dir };
  const { namespace, kubectl, context } = inputs.manifests;
  return {
    objects: await exportNamespace(namespace, kubectlRunner(kubectl, context)),
    source: `namespace/${namespace}`,
  };
}

/** The manifests to back up, or why they cannot be (unreadable, or breaking the state contract). */
async function checkedManifests(
  inputs: BackupInputs,
): Promise<Awaited<ReturnType<typeof manifestsFor>> | { failure: PhaseFailure }> {
  let manifests: Awaited<ReturnType<typeof manifestsFor>>;
  try {
    manifests = await manifestsFor(inputs);
  } catch (error) {
    if (error instanceof ManifestError)
      return { failure: { message: error.message, reason: 'manifests_invalid' } };
    throw error;
  }
  const problem = inputs.stateClaim
    ? checkStateClaim(manifests.objects, inputs.stateClaim).problem
    : undefined;
  if (problem)
    return {
      failure: { message: `state contract: ${problem} (docs/restore.md)`, reason: 'manifests_invalid' },
    };
  return manifests;
}

/** What the backup output records of each uploaded artifact. */
function describeArtifacts(uploads: Awaited<ReturnType<typeof createBackup>>['uploads']) {
  return Object.fromEntries(
    Object.entries(uploads).map(([name, u]) => [
      name,
      {
        bytes: u.bytes,
        raw_bytes: u.rawBytes,
        sha256: u.sha256,
        upload: u.method,
        parts: u.parts,
        checksum: u.checksum.algorithm,
      },
    ]),
  );
}

export async function run(inputs: BackupInputs, ctx: PhaseContext): Promise<PhaseResult<BackupOutput>> {
  const now = ctx.now();
  const location = backupIn(inputs.prefix, inputs.backupId ?? backupIdFor(now));
  const manifests = await checkedManifests(inputs);
  if ('failure' in manifests)
    return { status: 'failed', outputs: {}, summary: '', failure: manifests.failure };
  ctx.io.info(
    `Backing up ${inputs.stateDir} and ${manifests.objects.length} object(s) from ${manifests.source} to ${location.uri}`,
  );
  try {
    const sign = inputs.signingKey ? await backupSigner(inputs.signingKey, ctx.aws) : undefined;
    const result = await createBackup(ctx.aws.s3, {
      backup: location,
      stateDir: inputs.stateDir,
      manifests: manifests.objects,
      manifestSource: manifests.source,
      stateClaim: inputs.stateClaim,
      workDir: inputs.workDir ?? ctx.tempDir,
      createdUtc: now,
      sourceHost: inputs.sourceHost ?? hostname(),
      toolVersion: STANDBY_VERSION,
      compressionLevel: inputs.compressionLevel,
      upload: {
        singlePartMaxBytes: inputs.singlePartMaxBytes,
        partSizeBytes: inputs.partSizeBytes,
        kmsKeyId: inputs.kmsKeyId,
      },
      progress: progressReporter(ctx),
      sign,
    });
    const meta = result.metadata;
    const artifacts = describeArtifacts(result.uploads);
    if (meta.images.unpinned.length > 0)
      ctx.io.warning(`images named by tag, not digest: ${meta.images.unpinned.join(', ')}`);
    return {
      status: 'ok',
      outputs: {
        'backup-id': location.backupId,
        'backup-uri': location.uri,
        'backup-created-utc': now.toISOString(),
        artifacts,
        'metadata-sha256': result.metadataSha256,
        'state-marker': meta.state.marker,
        'image-digests': meta.images.digests,
        'unpinned-images': meta.images.unpinned,
        'manifest-objects': manifests.objects.length,
      },
      summary: render(location.uri, artifacts, result.signature),
    };
  } catch (error) {
    const reason =
      error instanceof BackupExistsError
        ? 'backup_exists'
        : error instanceof ArchiveError
          ? 'state_unreadable'
          : error instanceof SigningFailed
            ? 'signing_failed'
            : undefined;
    if (!reason) throw error;
    return {
      status: 'failed',
      outputs: { 'backup-uri': location.uri },
      summary: '',
      failure: { message: (error as Error).message, reason },
    };
  }
}

function render(
  uri: string,
  artifacts: Record<
    string,
    { bytes: number; raw_bytes: number; sha256: string; upload: string; parts: number }
  >,
  signature?: BackupSignature,
) {
  const rows = Object.entries(artifacts).map(([name, a]) => [
    name,
    `${(a.raw_bytes / MIB).toFixed(2)} MiB → ${(a.bytes / MIB).toFixed(2)} MiB`,
    `${a.upload}${a.parts > 1 ? ` (${a.parts} parts)` : ''}`,
    `${a.sha256.slice(0, 16)}…`,
  ]);
  return [
    `Backup \`${uri}\`: metadata.json written last.`,
    ...(signature
      ? ['', `metadata.json signed (${signature.algorithm}) by \`${signature.key_id}\`: ${SIGNATURE_OBJECT}.`]
      : []),
    '',
    markdownTable(['Artifact', 'Size', 'Upload', 'sha256'], rows),
  ].join('\n');
}
