import type { S3Client } from '@aws-sdk/client-s3';
import { describeError, isTransientError } from '../util/errors.js';
import { type ChecksumSource, compareDigest, decideIntegrity } from './integrity.js';
import type { ArtifactSpec } from './metadata.js';
import { headArtifact, streamSha256 } from './s3-objects.js';

export interface ArtifactCheck {
  name: string;
  key: string;
  bytes_declared: number;
  bytes_stored: number | null;
  sha256_declared: string;
  checksum_source: ChecksumSource | 'none';
  /** Bytes downloaded to prove integrity: 0 on the stored-checksum path. */
  bytes_downloaded: number;
  /**
   * Only `missing`, `size_mismatch` and `checksum_mismatch` prove something wrong with the backup.
   * `unavailable`: S3 did not answer (5xx, throttling, timeout after the SDK's retries); `error`: it
   * refused (AccessDenied, ...). Both mean "not known", never "corrupt".
   */
  result: 'ok' | 'missing' | 'size_mismatch' | 'checksum_mismatch' | 'unavailable' | 'error';
  detail: string;
}

/** Checks one artifact: present, declared size, then the cheapest proof of its sha256 that is a proof. */
export async function verifyArtifact(
  s3: S3Client,
  bucket: string,
  key: string,
  name: string,
  declared: ArtifactSpec,
): Promise<ArtifactCheck> {
  const base = {
    name,
    key,
    bytes_declared: declared.bytes,
    sha256_declared: declared.sha256,
    bytes_stored: null,
    checksum_source: 'none' as const,
    bytes_downloaded: 0,
  };
  const head = await headArtifact(s3, bucket, key);
  if (head.kind === 'missing')
    return { ...base, result: 'missing', detail: `s3://${bucket}/${key} does not exist` };
  if (head.kind === 'error')
    return { ...base, result: head.transient ? 'unavailable' : 'error', detail: head.detail };

  const stored = { ...base, bytes_stored: head.size };
  let decision = decideIntegrity(declared, head);
  let downloaded = 0;
  if (decision.kind === 'stream') {
    try {
      const streamed = await streamSha256(s3, bucket, key);
      downloaded = streamed.bytes;
      decision = compareDigest(declared, streamed.sha256, 'streamed-sha256');
    } catch (error) {
      return {
        ...stored,
        result: isTransientError(error) ? 'unavailable' : 'error',
        detail: `streaming sha256 failed: ${describeError(error)}`,
      };
    }
  }
  switch (decision.kind) {
    case 'size-mismatch':
      return { ...stored, result: 'size_mismatch', detail: decision.detail };
    case 'mismatch':
      return {
        ...stored,
        checksum_source: decision.source,
        bytes_downloaded: downloaded,
        result: 'checksum_mismatch',
        detail: decision.detail,
      };
    case 'verified':
      return {
        ...stored,
        checksum_source: decision.source,
        bytes_downloaded: downloaded,
        result: 'ok',
        detail: 'sha256 matches',
      };
    default:
      return { ...stored, result: 'error', detail: 'integrity could not be decided' };
  }
}
