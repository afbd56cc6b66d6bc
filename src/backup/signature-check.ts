import type { KeyObject } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeError, isTransientError } from '../util/errors.js';
import { artifactKey, type BackupLocation } from './layout.js';
import { isNotFound, readBytes } from './s3-objects.js';
import { SIGNATURE_OBJECT, verifyBackupSignature } from './signature.js';

export type SignatureProblem = {
  reason: 'signature_invalid' | 'backup_unavailable' | 'backup_unreadable';
  message: string;
};

/**
 * Reads a backup's metadata.json.sig and checks it against `metadataBytes` (the metadata.json already
 * read, so the bytes checked are the bytes used) with the verification key. A missing signature is a
 * proof (`signature_invalid`: unsigned); S3 not answering is not known (`backup_unavailable`), like any
 * other object of the backup (issue 19.7).
 */
export async function checkSignature(
  s3: S3Client,
  backup: BackupLocation,
  metadataBytes: Uint8Array,
  publicKey: KeyObject,
): Promise<SignatureProblem | undefined> {
  const key = artifactKey(backup, SIGNATURE_OBJECT);
  let stored: Buffer | undefined;
  try {
    stored = await readBytes(s3, backup.bucket, key);
  } catch (error) {
    if (!isNotFound(error))
      return {
        reason: isTransientError(error) ? 'backup_unavailable' : 'backup_unreadable',
        message: `cannot read ${SIGNATURE_OBJECT}: ${describeError(error)}`,
      };
  }
  const verdict = verifyBackupSignature(metadataBytes, stored, publicKey);
  if (verdict.ok) return undefined;
  return {
    reason: 'signature_invalid',
    message: `${SIGNATURE_OBJECT} ${verdict.problem}: ${verdict.detail}`,
  };
}
