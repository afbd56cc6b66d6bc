import { z } from 'zod';
import { parseIsoTimestamp } from '../util/time.js';
import { BACKUP_ID, REQUIRED_ARTIFACTS } from './layout.js';
import { type ArtifactSpec, type BackupMetadata, MetadataError } from './metadata.js';

// metadata.json's schema (zod), apart from metadata.ts: what reads a backup's metadata loads it when it
// parses one (readMetadata), so restore-precheck and backup-prune start without zod (issue 24.4).

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

const Artifact = z.object({
  bytes: z.number().int().min(0),
  sha256: Sha256Hex,
  /** Base64 CRC64NVME of the whole object, as S3 reports a FULL_OBJECT checksum (multipart uploads). */
  crc64nvme: z
    .string()
    .regex(/^[A-Za-z0-9+/]{11}=$/, 'expected a base64 64-bit checksum')
    .optional(),
  // ArtifactSpec is written out in metadata.ts so that what reads it loads no zod: held to this schema here.
}) satisfies z.ZodType<ArtifactSpec>;

/**
 * metadata.json. The contract's fields (docs/restore.md: backup_id, created_utc, artifacts with bytes and sha256) are required;
 * what `standby backup` adds (state marker, images, source) is optional, so backups made by other
 * producers still parse.
 */
const MetadataSchema = z.object({
  backup_id: z.string().regex(BACKUP_ID, 'expected A-Z a-z 0-9 . _ -'),
  created_utc: z
    .string()
    .refine(
      (value) => parseIsoTimestamp(value) !== undefined,
      'expected an ISO-8601 timestamp with an offset',
    ),
  artifacts: z
    .record(z.string().regex(/^[A-Za-z0-9._-]+$/, 'artifact names are plain file names'), Artifact)
    .refine((artifacts) => REQUIRED_ARTIFACTS.every((name) => name in artifacts), {
      message: `must list ${REQUIRED_ARTIFACTS.join(' and ')}`,
    }),
  state: z
    .object({
      marker: Sha256Hex,
      marker_file: z.string().regex(/^[A-Za-z0-9._-]+$/),
      claim: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/),
    })
    .partial()
    .optional(),
  images: z
    .object({ digests: z.array(z.string()).default([]) })
    .partial()
    .optional(),
});

/** Parses metadata.json text; every problem (bad JSON, missing field, wrong id) is a MetadataError saying where. */
export function parseMetadata(text: string, expectedBackupId: string): BackupMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MetadataError(`metadata.json is not JSON: ${(error as Error).message}`);
  }
  const parsed = MetadataSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new MetadataError(`metadata.json is invalid: ${problems.join('; ')}`);
  }
  if (parsed.data.backup_id !== expectedBackupId) {
    throw new MetadataError(
      `metadata.json names backup '${parsed.data.backup_id}' but the URI names '${expectedBackupId}'`,
    );
  }
  return {
    backupId: parsed.data.backup_id,
    createdUtc: parseIsoTimestamp(parsed.data.created_utc) as Date,
    artifacts: parsed.data.artifacts,
    stateMarker: parsed.data.state?.marker,
    stateClaim: parsed.data.state?.claim,
    imageDigests: parsed.data.images?.digests ?? [],
  };
}
