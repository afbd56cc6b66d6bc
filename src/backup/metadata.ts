import { hoursBetween, roundHours } from '../util/time.js';

// metadata.json's schema and parser are in metadata-schema.ts (zod), loaded when a metadata.json is parsed.

/** One artifact as metadata.json lists it (metadata-schema.ts checks it). */
export interface ArtifactSpec {
  bytes: number;
  sha256: string;
  /** Base64 CRC64NVME of the whole object, as S3 reports a FULL_OBJECT checksum (multipart uploads). */
  crc64nvme?: string | undefined;
}
export interface BackupMetadata {
  backupId: string;
  createdUtc: Date;
  artifacts: Record<string, ArtifactSpec>;
  /** The value the state archive's marker file holds (standby backup); validate checks a job read it. */
  stateMarker?: string;
  /** The claim the workloads mount the state from, when the producer recorded it. */
  stateClaim?: string;
  imageDigests: string[];
}

export class MetadataError extends Error {
  override name = 'MetadataError';
}

/** Clock skew tolerated before a created_utc in the future counts as wrong. */
const FUTURE_TOLERANCE_HOURS = 5 / 60;

/**
 * created_utc later than now (beyond the clock skew tolerated): a wrong clock, never the newest backup,
 * never counted or deleted by prune (issue 19.6).
 */
export function createdInFuture(createdUtc: Date, now: Date): boolean {
  return hoursBetween(createdUtc, now) < -FUTURE_TOLERANCE_HOURS;
}

/** RPO: how old the backup is, and whether that is within the bound. */
export function assessBackupAge(createdUtc: Date, now: Date, maxHours: number) {
  const ageHours = roundHours(hoursBetween(createdUtc, now));
  if (createdInFuture(createdUtc, now)) {
    return { ageHours, ok: false, reason: `created_utc ${createdUtc.toISOString()} is in the future` };
  }
  if (ageHours > maxHours) {
    return {
      ageHours,
      ok: false,
      reason: `backup is ${ageHours} h old, older than max-backup-age-hours=${maxHours}`,
    };
  }
  return { ageHours, ok: true, reason: `backup is ${ageHours} h old (bound ${maxHours} h)` };
}
