import { type BackupLocation, parseBackupUri } from '../../backup/layout.js';
import { parseNumber } from '../../validation/primitives.js';
import type { InputSpec } from '../phase.js';

export const restorePrecheckInputs: Record<string, InputSpec> = {
  'backup-uri': {
    description: 'Backup to restore: s3://<bucket>/<prefix>/backups/<backup_id>.',
    required: true,
  },
  'max-backup-age-hours': {
    description: 'Fail when the backup (created_utc) is older than this (the RPO bound).',
    default: '26',
  },
  concurrency: { description: 'Artifacts checked at once.', default: '4' },
};

export interface RestorePrecheckInputs {
  backup: BackupLocation;
  maxBackupAgeHours: number;
  concurrency: number;
}

export function parseRestorePrecheckInputs(read: (name: string) => string): RestorePrecheckInputs {
  return {
    backup: parseBackupUri('backup-uri', read('backup-uri')),
    maxBackupAgeHours: parseNumber('max-backup-age-hours', read('max-backup-age-hours'), {
      min: 0.01,
      max: 24 * 365,
    }),
    concurrency: parseNumber('concurrency', read('concurrency'), { min: 1, max: 16, integer: true }),
  };
}
