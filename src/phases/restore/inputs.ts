import { type BackupTarget, parseBackupTarget } from '../../backup/layout.js';
import type { InputSpec } from '../../io/input-spec.js';
import { parseDnsLabel } from '../../validation/dns1123.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseImageRef } from '../../validation/image-ref.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseNumber, required } from '../../validation/primitives.js';
import { formatS3Uri, parseS3Uri } from '../../validation/s3-uri.js';

export const restoreInputs: Record<string, InputSpec> = {
  'instance-id': { description: 'The runner (resolve-runner output instance-id).', required: true },
  'backup-uri': {
    description:
      "Optional with receipts: restore takes the backup restore-precheck recorded in this execution's receipt; given, it must name that backup (s3://<bucket>/[<prefix>/]backups/<backup_id>) or its prefix. Required (one backup) without a receipt-bucket.",
  },
  namespace: {
    description: 'Application namespace (DNS-1123 label): every namespaced manifest belongs to it.',
    required: true,
  },
  'state-claim': {
    description:
      'The PersistentVolumeClaim (in the manifests) the workloads mount their state from; restore binds it to the restored state (docs/restore.md, state contract).',
    required: true,
  },
  'restore-path': {
    description:
      'Directory on the runner that holds the restored state (a hostPath volume); must be under /var/lib/standby/. Default /var/lib/standby/volumes/<namespace>/<state-claim>.',
  },
  'state-owner': { description: 'uid:gid the restored files are given (default root, 0:0).' },
  'wait-seconds': {
    description: 'How long to wait for CRDs to be Established and the claim to bind.',
    default: '120',
  },
  'control-plane-uri': {
    description:
      'Optional s3://.../control-plane/current.json naming the control-plane bundle and its sha256.',
  },
  'timeout-seconds': { description: 'Wall-clock limit for the restore on the runner.', default: '1800' },
  'storage-class': {
    description:
      'target-kind eks: the storage class the state claim gets a new volume from (default gp3, the EBS CSI driver; docs/restore.md, "The eks target").',
    default: 'gp3',
  },
  'loader-image': {
    description:
      'target-kind eks (required there): the image of the short-lived pod that loads the state into the claim, pinned by digest (<image>@sha256:<64 hex>); it needs `sleep`, `ls`, `tar`, `cat` and `chown` (busybox has them).',
  },
  'undeclared-size-cap': {
    description:
      "Most an archive whose metadata.json declares no raw_bytes may expand to: a byte count, or a percentage of the runner's free space (docs/restore.md, expansion cap).",
    default: '80%',
  },
};

export interface RestoreInputs {
  instanceId: string;
  /** What the caller named; the backup restored is restore-precheck's recorded choice (backup-choice.ts). */
  backup?: BackupTarget;
  restorePath: string;
  namespace: string;
  stateClaim: string;
  stateOwner?: string;
  waitSeconds: number;
  controlPlaneUri?: string;
  timeoutSeconds: number;
  /** A byte count ('1048576') or a percentage of the free space ('80%'), as restore.sh reads it. */
  undeclaredSizeCap: string;
  /** eks: the state claim's storage class. */
  storageClass: string;
  /** eks: the loader pod's digest-pinned image (required on eks, checked by the phase). */
  loaderImage?: string;
}

export function parseRestoreInputs(read: (name: string) => string): RestoreInputs {
  const controlPlane = read('control-plane-uri').trim();
  const namespace = parseDnsLabel('namespace', read('namespace'));
  const stateClaim = parseDnsLabel('state-claim', read('state-claim'));
  const owner = read('state-owner').trim();
  const cap = (read('undeclared-size-cap') || '80%').trim();
  const percent = /^(\d{1,3})%$/.exec(cap);
  if (percent ? Number(percent[1]) < 1 || Number(percent[1]) > 100 : !/^\d{1,15}$/.test(cap))
    throw new InputError(
      'undeclared-size-cap',
      `${quoted(cap)} is neither a byte count nor a percentage (1%-100%) of the free space`,
    );
  if (owner && !/^\d{1,10}:\d{1,10}$/.test(owner))
    throw new InputError('state-owner', `${quoted(owner)} is not uid:gid (numbers)`);
  return {
    instanceId: parseInstanceId('instance-id', read('instance-id')),
    ...(read('backup-uri').trim() ? { backup: parseBackupTarget('backup-uri', read('backup-uri')) } : {}),
    restorePath: parseRestorePath(read('restore-path') || `${STATE_BASE}/volumes/${namespace}/${stateClaim}`),
    namespace,
    stateClaim,
    ...(owner ? { stateOwner: owner } : {}),
    waitSeconds: parseNumber('wait-seconds', read('wait-seconds'), { min: 1, max: 3600, integer: true }),
    controlPlaneUri: controlPlane ? parseControlPlaneUri(controlPlane) : undefined,
    timeoutSeconds: parseNumber('timeout-seconds', read('timeout-seconds'), {
      min: 30,
      max: 48 * 3600,
      integer: true,
    }),
    undeclaredSizeCap: cap,
    storageClass: parseStorageClass(read('storage-class') || 'gp3'),
    ...(read('loader-image').trim()
      ? { loaderImage: parseImageRef('loader-image', read('loader-image').trim(), false).ref }
      : {}),
  };
}

/** A StorageClass name: a DNS-1123 subdomain (restore.sh checks the same again). */
export function parseStorageClass(raw: string): string {
  const value = raw.trim();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value))
    throw new InputError(
      'storage-class',
      `${quoted(raw)} is not a storage class name (a DNS-1123 subdomain)`,
    );
  return value;
}

/** Everything restore writes on the runner lives here, on the root volume (never the RAM-backed /tmp). */
export const STATE_BASE = '/var/lib/standby';

/**
 * An absolute path of plain segments strictly inside /var/lib/standby/: it becomes a hostPath volume and
 * the target of a directory swap on the runner, so '/etc', '..' and look-alikes such as
 * /var/lib/standby-x are refused. restore.sh checks the same again.
 */
export function parseRestorePath(raw: string): string {
  const value = required('restore-path', raw).replace(/\/+$/, '');
  const segments = value.split('/').slice(1);
  const plain =
    value.startsWith('/') &&
    segments.length > 0 &&
    segments.every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..');
  if (!plain)
    throw new InputError(
      'restore-path',
      `${quoted(raw)} must be an absolute path of A-Z a-z 0-9 . _ - segments, without '.' or '..'`,
    );
  if (
    !value.startsWith(`${STATE_BASE}/`) ||
    value === `${STATE_BASE}/work` ||
    value.startsWith(`${STATE_BASE}/work/`)
  )
    throw new InputError(
      'restore-path',
      `${quoted(raw)} must be inside ${STATE_BASE}/ (not its work/ directory)`,
    );
  return value;
}

function parseControlPlaneUri(raw: string): string {
  const location = parseS3Uri('control-plane-uri', raw);
  if (!location.key.endsWith('.json'))
    throw new InputError('control-plane-uri', `${quoted(raw)} should name control-plane/current.json`);
  return formatS3Uri(location);
}
