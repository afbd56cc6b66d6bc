import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsErrorCode } from '../util/errors.js';
import { type ArtifactFile, compressToFile } from './artifact-file.js';
import { artifactKey, type BackupLocation, METADATA_FILE } from './layout.js';
import { collectImages, type KubeObject, manifestEntries } from './manifests.js';
import { isNotFound } from './s3-objects.js';
import { tarStream, tarStreamWithMarker } from './tar-writer.js';
import { walkTree } from './tree.js';
import { encryption, type UploadedArtifact, type UploadSettings, uploadArtifact } from './upload.js';

/** The state archive's last entry; restore and validate look for it at the root of the state volume. */
export const STATE_MARKER_FILE = '.standby-state-marker';
export const BACKUP_SCHEMA = 'standby.backup/v1';

export interface BackupRequest {
  backup: BackupLocation;
  stateDir: string;
  manifests: KubeObject[];
  /** Where the compressed archives are written before upload (on disk: never a RAM-backed /tmp). */
  workDir: string;
  createdUtc: Date;
  sourceHost: string;
  toolVersion: string;
  /** What the manifests came from, for the record: a directory or `namespace/<name>`. */
  manifestSource: string;
  /** The state claim (state contract), recorded so restore needs no configuration for it. */
  stateClaim?: string;
  compressionLevel: number;
  upload: Omit<UploadSettings, 'onProgress'>;
  progress?: (event: BackupProgress) => void;
}

export type BackupProgress =
  | { phase: 'archive'; artifact: string; rawBytes: number; bytes: number }
  | { phase: 'upload'; artifact: string; sentBytes: number; totalBytes: number };

export interface BackupResult {
  /** The metadata.json document written. */
  metadata: ReturnType<typeof metadataDocument>;
  metadataSha256: string;
  uploads: Record<string, UploadedArtifact & { bytes: number; sha256: string; rawBytes: number }>;
}

export class BackupExistsError extends Error {
  override name = 'BackupExistsError';
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Builds both archives on disk, streaming: the state tree (with its marker) and the manifests as JSON. */
async function buildArchives(request: BackupRequest, dir: string) {
  let marker = '';
  const progress = (artifact: string) => (rawBytes: number, bytes: number) =>
    request.progress?.({ phase: 'archive', artifact, rawBytes, bytes });
  const state = await compressToFile(
    tarStreamWithMarker(walkTree(request.stateDir, new Set([STATE_MARKER_FILE])), STATE_MARKER_FILE, (m) => {
      marker = m;
    }),
    path.join(dir, 'state.tar.zst'),
    { level: request.compressionLevel, onProgress: progress('state.tar.zst') },
  );
  const manifests = await compressToFile(
    tarStream(manifestEntries(request.manifests)),
    path.join(dir, 'manifests.tar.zst'),
    { level: request.compressionLevel, onProgress: progress('manifests.tar.zst') },
  );
  return { files: { 'state.tar.zst': state, 'manifests.tar.zst': manifests }, marker };
}

function metadataDocument(
  request: BackupRequest,
  files: Record<string, ArtifactFile>,
  uploads: BackupResult['uploads'],
  marker: string,
) {
  const images = collectImages(request.manifests);
  return {
    schema: BACKUP_SCHEMA,
    backup_id: request.backup.backupId,
    created_utc: request.createdUtc.toISOString(),
    source_host: request.sourceHost,
    tool: { name: 'standby', version: request.toolVersion },
    artifacts: Object.fromEntries(
      Object.entries(files).map(([name, file]) => {
        const upload = uploads[name];
        return [
          name,
          {
            bytes: file.bytes,
            sha256: file.sha256,
            raw_bytes: file.rawBytes,
            upload: upload?.method,
            ...(upload?.checksum.algorithm === 'CRC64NVME' ? { crc64nvme: upload.checksum.value } : {}),
          },
        ];
      }),
    ),
    state: {
      marker,
      marker_file: STATE_MARKER_FILE,
      ...(request.stateClaim ? { claim: request.stateClaim } : {}),
    },
    manifests: { source: request.manifestSource, format: 'json', objects: request.manifests.length },
    images,
  };
}

/**
 * `standby backup`: archives, uploads, then metadata.json LAST and ONCE (If-None-Match: *), so a
 * backup that stopped half way has no metadata.json and is never chosen. Refuses an id that already
 * has a metadata.json before uploading anything.
 */
export async function createBackup(s3: S3Client, request: BackupRequest): Promise<BackupResult> {
  const { backup } = request;
  const metadataKey = artifactKey(backup, METADATA_FILE);
  if (await exists(s3, backup.bucket, metadataKey))
    throw new BackupExistsError(`${backup.uri} already has a metadata.json: choose another backup id`);
  const dir = await mkdtemp(path.join(request.workDir, 'standby-backup-'));
  try {
    const { files, marker } = await buildArchives(request, dir);
    const uploads: BackupResult['uploads'] = {};
    for (const [name, file] of Object.entries(files)) {
      const uploaded = await uploadArtifact(
        s3,
        {
          bucket: backup.bucket,
          key: artifactKey(backup, name),
          file: file.file,
          bytes: file.bytes,
          sha256: file.sha256,
        },
        {
          ...request.upload,
          onProgress: (sentBytes) =>
            request.progress?.({ phase: 'upload', artifact: name, sentBytes, totalBytes: file.bytes }),
        },
      );
      uploads[name] = { ...uploaded, bytes: file.bytes, sha256: file.sha256, rawBytes: file.rawBytes };
    }
    const metadata = metadataDocument(request, files, uploads, marker);
    const body = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
    const digest = createHash('sha256').update(body).digest('hex');
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: backup.bucket,
          Key: metadataKey,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: Buffer.from(digest, 'hex').toString('base64'),
          ...encryption(request.upload.kmsKeyId),
        }),
      );
    } catch (error) {
      const { name, status } = awsErrorCode(error);
      if (status === 412 || name === 'PreconditionFailed')
        throw new BackupExistsError(
          `${backup.uri}/metadata.json appeared while this backup ran: another backup used the same id`,
        );
      throw error;
    }
    return { metadata, metadataSha256: digest, uploads };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
