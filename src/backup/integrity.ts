import type { ArtifactSpec } from './metadata.js';

/** What HeadObject (ChecksumMode ENABLED) told us about one stored object. */
export interface StoredObject {
  size: number;
  /** base64 SHA256 checksum S3 stored, if any; composite ones end in -<parts>. */
  checksumSha256?: string;
  /** base64 CRC64NVME S3 stored (always a full-object checksum). */
  checksumCrc64nvme?: string;
  checksumType?: string;
  /** A multipart upload's ETag ends in -<parts>. */
  etag?: string;
}

export type ChecksumSource = 's3-full-object-sha256' | 's3-full-object-crc64nvme' | 'streamed-sha256';

export type IntegrityDecision =
  | { kind: 'verified'; source: ChecksumSource; sha256: string }
  | { kind: 'mismatch'; source: ChecksumSource; sha256: string; detail: string }
  | { kind: 'size-mismatch'; detail: string }
  | { kind: 'stream'; why: string };

export function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

/**
 * What counts as proof without a download. A FULL_OBJECT SHA256 that S3 computed on upload is the same
 * function as metadata's sha256: a proof. A composite (multipart) SHA256 is a hash of part hashes and
 * proves nothing about the file. CRC64NVME (always full-object) is a different function: it proves the
 * object is the one the producer uploaded only when metadata.json declares that CRC too (`standby backup`
 * does, for its multipart uploads, from the same bytes it hashed). A CRC detects corruption, not a
 * deliberate forgery; the runner re-checks the sha256 of what it downloaded before using it. Everything
 * else is streamed and hashed.
 */
export function decideIntegrity(declared: ArtifactSpec, stored: StoredObject): IntegrityDecision {
  if (stored.size !== declared.bytes) {
    return {
      kind: 'size-mismatch',
      detail: `stored object is ${stored.size} bytes, metadata.json declares ${declared.bytes}`,
    };
  }
  const checksum = stored.checksumSha256;
  if (!checksum) {
    if (stored.checksumCrc64nvme && declared.crc64nvme) return compareCrc(declared, stored.checksumCrc64nvme);
    return { kind: 'stream', why: 'no stored SHA256 checksum' };
  }
  // S3 says FULL_OBJECT or COMPOSITE; when the type is absent (older APIs, emulators) a -N suffix on the
  // checksum or on the ETag marks a multipart upload, whose SHA256 is composite.
  const composite =
    stored.checksumType === 'COMPOSITE' ||
    (stored.checksumType !== 'FULL_OBJECT' && (/-\d+$/.test(checksum) || /-\d+"?$/.test(stored.etag ?? '')));
  if (composite) return { kind: 'stream', why: 'stored SHA256 is composite (multipart upload)' };
  return compareDigest(declared, base64ToHex(checksum), 's3-full-object-sha256');
}

export function compareDigest(
  declared: ArtifactSpec,
  actualHex: string,
  source: ChecksumSource,
): IntegrityDecision {
  if (actualHex === declared.sha256) return { kind: 'verified', source, sha256: actualHex };
  return {
    kind: 'mismatch',
    source,
    sha256: actualHex,
    detail: `sha256 ${actualHex} differs from the declared ${declared.sha256}`,
  };
}

function compareCrc(declared: ArtifactSpec, stored: string): IntegrityDecision {
  const source = 's3-full-object-crc64nvme';
  if (stored === declared.crc64nvme) return { kind: 'verified', source, sha256: declared.sha256 };
  return {
    kind: 'mismatch',
    source,
    sha256: '',
    detail: `stored CRC64NVME ${stored} differs from the declared ${declared.crc64nvme}`,
  };
}
