import { type BackupLocation, parseBackupUri } from '../../backup/layout.js';
import { parseDnsLabel } from '../../validation/dns1123.js';
import { InputError } from '../../validation/errors.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseNumber, required } from '../../validation/primitives.js';
import { formatS3Uri, parseS3Uri } from '../../validation/s3-uri.js';
import type { InputSpec } from '../phase.js';

export const restoreInputs: Record<string, InputSpec> = {
  'instance-id': { description: 'The runner (resolve-runner output instance-id).', required: true },
  'backup-uri': {
    description: 'Backup to restore: s3://<bucket>/<prefix>/backups/<backup_id> (restore-precheck output).',
    required: true,
  },
  'restore-path': {
    description: 'Absolute directory on the runner the state archive is extracted into.',
    default: '/var/lib/standby/restore',
  },
  namespace: {
    description: 'Application namespace (DNS-1123 label) whose CronJobs are reported.',
    required: true,
  },
  'control-plane-uri': {
    description:
      'Optional s3://.../control-plane/current.json naming the control-plane bundle and its sha256.',
  },
  'timeout-seconds': { description: 'Wall-clock limit for the restore on the runner.', default: '1800' },
};

export interface RestoreInputs {
  instanceId: string;
  backup: BackupLocation;
  restorePath: string;
  namespace: string;
  controlPlaneUri?: string;
  timeoutSeconds: number;
}

export function parseRestoreInputs(read: (name: string) => string): RestoreInputs {
  const controlPlane = read('control-plane-uri').trim();
  return {
    instanceId: parseInstanceId('instance-id', read('instance-id')),
    backup: parseBackupUri('backup-uri', read('backup-uri')),
    restorePath: parseRestorePath(read('restore-path')),
    namespace: parseDnsLabel('namespace', read('namespace')),
    controlPlaneUri: controlPlane ? parseControlPlaneUri(controlPlane) : undefined,
    timeoutSeconds: parseNumber('timeout-seconds', read('timeout-seconds'), {
      min: 30,
      max: 48 * 3600,
      integer: true,
    }),
  };
}

/** An absolute path of plain segments: it becomes `tar -C <path>` on the runner, so no '..' and no oddities. */
function parseRestorePath(raw: string): string {
  const value = required('restore-path', raw).replace(/\/+$/, '');
  const segments = value.split('/').slice(1);
  if (
    !value.startsWith('/') ||
    segments.length === 0 ||
    segments.some((s) => !/^[A-Za-z0-9._-]+$/.test(s) || s === '.' || s === '..')
  ) {
    throw new InputError(
      'restore-path',
      `'${raw}' must be an absolute path of A-Z a-z 0-9 . _ - segments, without '.' or '..'`,
    );
  }
  return value;
}

function parseControlPlaneUri(raw: string): string {
  const location = parseS3Uri('control-plane-uri', raw);
  if (!location.key.endsWith('.json'))
    throw new InputError('control-plane-uri', `'${raw}' should name control-plane/current.json`);
  return formatS3Uri(location);
}
