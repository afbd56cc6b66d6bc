import { type BackupPrefix, parseBackupPrefix } from '../../backup/layout.js';
import type { InputSpec } from '../../io/input-spec.js';
import { InputError } from '../../validation/errors.js';
import { parseBoolean, parseBucketName, parseKeyPrefix, parseNumber } from '../../validation/primitives.js';

export const backupPruneInputs: Record<string, InputSpec> = {
  'backup-uri': { description: 'The backups prefix: s3://<bucket>/<prefix>/backups/.', required: true },
  'keep-daily': {
    description: 'Keep the newest backup of each of the last N days that have one.',
    default: '14',
  },
  'keep-weekly': {
    description: 'Keep the newest backup of each of the last M ISO weeks that have one.',
    default: '8',
  },
  apply: {
    description: 'Delete what the plan says (true/false). Default false: a dry run that deletes nothing.',
    default: 'false',
    boolean: true,
  },
  'executions-bucket': {
    description:
      "Bucket of the DR pipeline's receipts, read to find the backups open DR executions use. Default: receipt-bucket.",
  },
  'executions-prefix': {
    description: 'Key prefix of those receipts. Default: receipt-prefix.',
  },
  'open-days': {
    description:
      'An execution without a successful teardown counts as open until it has been quiet this long.',
    default: '31',
  },
  'incomplete-grace-hours': {
    description:
      'Unfinished backups (no metadata.json) younger than this are kept: they may still be uploading.',
    default: '24',
  },
  'max-candidates': { description: 'Newest backups checked to find the newest good one.', default: '5' },
};

export interface PruneInputs {
  prefix: BackupPrefix;
  policy: { keepDaily: number; keepWeekly: number; incompleteGraceHours: number; openDays: number };
  apply: boolean;
  executions?: { bucket: string; prefix: string };
  maxCandidates: number;
}

export function parsePruneInputs(read: (name: string) => string): PruneInputs {
  const bucket = read('executions-bucket').trim() || read('receipt-bucket').trim();
  const apply = parseBoolean('apply', read('apply'), false);
  if (apply && !bucket)
    throw new InputError(
      'executions-bucket',
      'is required with apply=true (or receipt-bucket): without the receipts, prune cannot tell which backups open DR executions use',
    );
  const count = (name: string, max: number) => parseNumber(name, read(name), { min: 0, max, integer: true });
  return {
    prefix: parseBackupPrefix('backup-uri', read('backup-uri')),
    policy: {
      keepDaily: count('keep-daily', 3660),
      keepWeekly: count('keep-weekly', 520),
      incompleteGraceHours: parseNumber('incomplete-grace-hours', read('incomplete-grace-hours'), {
        min: 1,
        max: 24 * 365,
      }),
      openDays: parseNumber('open-days', read('open-days'), { min: 1, max: 3660 }),
    },
    apply,
    executions: bucket
      ? {
          bucket: parseBucketName('executions-bucket', bucket),
          prefix: parseKeyPrefix('executions-prefix', read('executions-prefix') || read('receipt-prefix')),
        }
      : undefined,
    maxCandidates: parseNumber('max-candidates', read('max-candidates'), { min: 1, max: 50, integer: true }),
  };
}
