import type { KeyObject } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeError, isTransientError } from '../util/errors.js';
import { artifactKey, type BackupLocation } from './layout.js';
import { isNotFound, readBytes } from './s3-objects.js';

/** A backup's signature check: proven good, proven bad (`invalid`), or not known (S3). */
export type SignatureResult =
  | { result: 'ok'; key_id: string; algorithm: string }
  | { result: 'invalid' | 'unavailable' | 'unreadable'; detail: string };

export type SignatureProblem = {
  reason: 'signature_invalid' | 'backup_unavailable' | 'backup_unreadable';
  message: string;
};

/**
 * Reads a backup's metadata.json.sig and checks it against `metadataBytes` (the metadata.json already
 * read, so the bytes checked are the bytes used) with the verification key. A missing signature is a
 * proof (invalid: unsigned); S3 not answering is not known, like any other object of the backup (19.7).
 */
export async function checkSignatureObject(
  s3: S3Client,
  backup: BackupLocation,
  metadataBytes: Uint8Array,
  publicKey: KeyObject,
): Promise<SignatureResult> {
  // The signature's schema (zod) loads with the first check, not as restore-precheck starts (issue 24.4).
  const { SIGNATURE_OBJECT, verifyBackupSignature } = await import('./signature.js');
  let stored: Buffer | undefined;
  try {
    stored = await readBytes(s3, backup.bucket, artifactKey(backup, SIGNATURE_OBJECT));
  } catch (error) {
    if (!isNotFound(error))
      return {
        result: isTransientError(error) ? 'unavailable' : 'unreadable',
        detail: `cannot read ${SIGNATURE_OBJECT}: ${describeError(error)}`,
      };
  }
  const verdict = verifyBackupSignature(metadataBytes, stored, publicKey);
  if (verdict.ok)
    return { result: 'ok', key_id: verdict.signature.key_id, algorithm: verdict.signature.algorithm };
  return { result: 'invalid', detail: `${SIGNATURE_OBJECT} ${verdict.problem}: ${verdict.detail}` };
}

/** restore-precheck's view: undefined when the signature verifies, else the candidate's problem. */
export async function checkSignature(
  s3: S3Client,
  backup: BackupLocation,
  metadataBytes: Uint8Array,
  publicKey: KeyObject,
): Promise<SignatureProblem | undefined> {
  const checked = await checkSignatureObject(s3, backup, metadataBytes, publicKey);
  if (checked.result === 'ok') return undefined;
  const reason = (
    {
      invalid: 'signature_invalid',
      unavailable: 'backup_unavailable',
      unreadable: 'backup_unreadable',
    } as const
  )[checked.result];
  return { reason, message: checked.detail };
}
