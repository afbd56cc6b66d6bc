import type { ArtifactSpec } from './metadata.js';

/** What HeadObject (ChecksumMode ENABLED) told us about one stored object. */
export interface StoredObject {
  size: number;
  /** base64 SHA256 checksum S3 stored, if any; composite ones end in -<parts>. */
  checksumSha256?: string;
  checksumType?: string;
  /** A multipart upload's ETag ends in -<parts>. */
  etag?: string;
}

export type ChecksumSource = 's3-full-object-sha256' | 'streamed-sha256';

export type IntegrityDecision =
  | { kind: 'verified'; source: ChecksumSource; sha256: string }
  | { kind: 'mismatch'; source: ChecksumSource; sha256: string; detail: string }
  | { kind: 'size-mismatch'; detail: string }
  | { kind: 'stream'; why: string };

export function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

/**
 * What counts as proof without a download: only a FULL_OBJECT SHA256 that S3 computed on upload, because
 * it is the same function as metadata's sha256. A composite (multipart) SHA256 is a hash of part hashes,
 * and CRC64NVME (always full-object) is a different function, so neither can prove a declared sha256:
 * those objects are streamed and hashed instead.
 */
export function decideIntegrity(declared: ArtifactSpec, stored: StoredObject): IntegrityDecision {
  if (stored.size !== declared.bytes) {
    return {
      kind: 'size-mismatch',
      detail: `stored object is ${stored.size} bytes, metadata.json declares ${declared.bytes}`,
    };
  }
  const checksum = stored.checksumSha256;
  if (!checksum) return { kind: 'stream', why: 'no stored SHA256 checksum' };
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
