import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { putJsonOnce, type WriteOnceResult } from '../aws/s3-write-once.js';
import { type ArtifactFile, compressToFile } from './artifact-file.js';
import { artifactKey, type BackupLocation, METADATA_FILE } from './layout.js';
import { collectImages, type KubeObject, manifestEntries } from './manifests.js';
import type { BackupSignature } from './signature.js';
import { SIGNATURE_OBJECT } from './signature-names.js';
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
  /** Signs metadata.json's exact bytes (a KMS key, src/aws/kms-signing.ts); absent: the backup is unsigned. */
  sign?: (metadataBytes: Uint8Array) => Promise<BackupSignature>;
}

export type BackupProgress =
  | { phase: 'archive'; artifact: string; rawBytes: number; bytes: number }
  | { phase: 'upload'; artifact: string; sentBytes: number; totalBytes: number };

export interface BackupResult {
  /** The metadata.json document written. */
  metadata: ReturnType<typeof metadataDocument>;
  metadataSha256: string;
  uploads: Record<string, UploadedArtifact & { bytes: number; sha256: string; rawBytes: number }>;
  /** metadata.json.sig as written, when the request had a signer. */
  signature?: BackupSignature;
}

export class BackupExistsError extends Error {
  override name = 'BackupExistsError';
}

/** Any object under the backup's folder: an id in use (finished, unfinished or being written). */
async function folderInUse(s3: S3Client, backup: BackupLocation): Promise<boolean> {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: backup.bucket, Prefix: `${backup.folder}/`, MaxKeys: 1 }),
  );
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}

/** A write that found its key taken by another writer: the backup stops, nothing was replaced. */
function refuseTaken(write: WriteOnceResult, backup: BackupLocation, name: string): void {
  if (write.kind === 'taken')
    throw new BackupExistsError(
      `${backup.uri}/${name} was written by another backup with the same id while this one ran (${write.detail}); nothing was replaced`,
    );
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
 * `standby backup`: archives, uploads, then metadata.json LAST, every object written once (If-None-Match
 * through src/aws/s3-write-once.ts), so a second writer with the same id cannot replace any of them and a
 * backup that stopped half way has no metadata.json and is never chosen. Refuses an id whose folder
 * already holds anything before uploading; a lost response (the retried write gets 412 for its own
 * object) is recognised by its content and is not a conflict. With a signer, metadata.json.sig is written
 * just before metadata.json, so every complete backup of a signing producer carries its signature.
 */
export async function createBackup(s3: S3Client, request: BackupRequest): Promise<BackupResult> {
  const { backup } = request;
  const metadataKey = artifactKey(backup, METADATA_FILE);
  if (await folderInUse(s3, backup))
    throw new BackupExistsError(`${backup.uri} already holds objects: choose another backup id`);
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
      refuseTaken(uploaded.write, backup, name);
      uploads[name] = { ...uploaded, bytes: file.bytes, sha256: file.sha256, rawBytes: file.rawBytes };
    }
    const metadata = metadataDocument(request, files, uploads, marker);
    const body = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
    const signature = request.sign ? await request.sign(body) : undefined;
    if (signature) {
      const signatureBody = Buffer.from(`${JSON.stringify(signature, null, 2)}\n`);
      const key = { bucket: backup.bucket, key: artifactKey(backup, SIGNATURE_OBJECT) };
      const sigWrite = await putJsonOnce(s3, key, signatureBody, encryption(request.upload.kmsKeyId));
      refuseTaken(sigWrite.result, backup, SIGNATURE_OBJECT);
    }
    const written = await putJsonOnce(
      s3,
      { bucket: backup.bucket, key: metadataKey },
      body,
      encryption(request.upload.kmsKeyId),
    );
    refuseTaken(written.result, backup, METADATA_FILE);
    return { metadata, metadataSha256: written.sha256, uploads, signature };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
