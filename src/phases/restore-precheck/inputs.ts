import { type BackupTarget, parseBackupTarget } from '../../backup/layout.js';
import { parseVerifyKey, type VerifyKey } from '../../backup/verify-key.js';
import type { InputSpec } from '../../io/input-spec.js';
import { parseMetricTarget } from '../../validation/cloudwatch.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseNumber } from '../../validation/primitives.js';

/** Published by restore-precheck's age-metric mode (freshness.yml's BackupAgeHours job). */
export const BACKUP_AGE_METRIC = 'BackupAgeHours';

export const restorePrecheckInputs: Record<string, InputSpec> = {
  'backup-uri': {
    description:
      'The backups prefix s3://<bucket>/<prefix>/backups/ (takes the newest good backup) or one backup s3://<bucket>/<prefix>/backups/<backup_id>.',
    required: true,
  },
  'max-backup-age-hours': {
    description: 'Fail when the backup (created_utc) is older than this (the RPO bound).',
    default: '26',
  },
  concurrency: { description: 'Artifacts checked at once.', default: '4' },
  'max-candidates': {
    description: 'With a prefix: how many backups, newest first, may be integrity-checked before giving up.',
    default: '5',
  },
  'verify-key': {
    description:
      "Verify each candidate's metadata.json.sig before its artifacts are checked: a KMS key id, ARN or alias (its public half is read once with kms:GetPublicKey) or a PEM public key. An unsigned backup, one signed by another key or one altered after signing is passed over (signature_invalid). Empty: signatures are not checked.",
  },
  mode: {
    description:
      'restore: prove the backup to restore. age-metric: find the newest complete backup from the listing and metadata.json only, and publish its age as BackupAgeHours (the freshness schedule).',
    default: 'restore',
  },
  'metric-namespace': {
    description: 'age-metric: CloudWatch namespace (the same as check-health).',
    default: 'Standby/Pipeline',
  },
  'metric-dimensions': {
    description:
      "age-metric: dimensions as Name=Value pairs, comma-separated, the same as check-health's. Default: check-health's default, Pipeline=<publish-bucket>/<publish-prefix>.",
  },
  'publish-bucket': { description: 'age-metric: the publisher bucket, for the default metric dimension.' },
  'publish-prefix': { description: 'age-metric: the publisher prefix, for the default metric dimension.' },
};

export type PrecheckMode = 'restore' | 'age-metric';

export interface RestorePrecheckInputs {
  target: BackupTarget;
  maxBackupAgeHours: number;
  concurrency: number;
  maxCandidates: number;
  mode: PrecheckMode;
  /** Set: every candidate must carry a metadata.json.sig this key verifies. */
  verifyKey?: VerifyKey;
  metrics?: { namespace: string; dimensions: { Name: string; Value: string }[] };
}

export function parseRestorePrecheckInputs(read: (name: string) => string): RestorePrecheckInputs {
  const mode = read('mode').trim() || 'restore';
  if (mode !== 'restore' && mode !== 'age-metric')
    throw new InputError('mode', `${quoted(mode)} is not restore or age-metric`);
  const target = parseBackupTarget('backup-uri', read('backup-uri'));
  if (mode === 'age-metric' && target.kind !== 'prefix')
    throw new InputError(
      'backup-uri',
      'mode age-metric needs the backups prefix s3://<bucket>/<prefix>/backups/',
    );
  const verifyKey = parseVerifyKey('verify-key', read('verify-key'));
  return {
    target,
    maxBackupAgeHours: parseNumber('max-backup-age-hours', read('max-backup-age-hours'), {
      min: 0.01,
      max: 24 * 365,
    }),
    concurrency: parseNumber('concurrency', read('concurrency'), { min: 1, max: 16, integer: true }),
    maxCandidates: parseNumber('max-candidates', read('max-candidates'), { min: 1, max: 50, integer: true }),
    mode,
    ...(verifyKey ? { verifyKey } : {}),
    metrics: mode === 'age-metric' ? parseMetricTarget(read, 'mode age-metric') : undefined,
  };
}
