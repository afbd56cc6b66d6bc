import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BACKUP_ID, type BackupPrefix, parseBackupPrefix } from '../../backup/layout.js';
import type { InputSpec } from '../../io/input-spec.js';
import { parseDnsLabel } from '../../validation/dns1123.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseKmsKeyId } from '../../validation/kms-key.js';
import { parseNumber, required } from '../../validation/primitives.js';

export const backupInputs: Record<string, InputSpec> = {
  'backup-uri': {
    description: 'The backups prefix to write to: s3://<bucket>/<prefix>/backups/.',
    required: true,
  },
  'state-dir': { description: 'Directory whose contents become state.tar.zst.', required: true },
  'manifests-dir': {
    description: 'Directory of .yaml/.yml/.json manifests (give this or namespace).',
  },
  namespace: {
    description:
      'Export this namespace with kubectl instead of reading manifests-dir (server fields stripped).',
  },
  'state-claim': {
    description:
      'The PersistentVolumeClaim the workloads mount their state from (docs/restore.md, state contract). Checked against the manifests and recorded in metadata.json, so restore binds it without configuration.',
  },
  kubectl: { description: 'kubectl command used with namespace.', default: 'kubectl' },
  'kube-context': { description: 'kubectl context used with namespace (default: the current one).' },
  'backup-id': {
    description:
      'Backup id (A-Z a-z 0-9 . _ -). Default: the UTC time to the millisecond and a random suffix, e.g. 20261122T030000.123Z-9f86d081.',
  },
  'kms-key-id': { description: 'SSE-KMS key id or ARN for the artifacts and metadata.json.' },
  'signing-key': {
    description:
      'Asymmetric KMS key (id, ARN or alias/...; SIGN_VERIFY, ECC_NIST_P256 or RSA) that signs metadata.json: the signature is written beside it as metadata.json.sig (docs/restore.md). Needs kms:DescribeKey and kms:Sign. Default: unsigned.',
  },
  'work-dir': {
    description:
      'Where the compressed archives are written before upload (needs room for both; default RUNNER_TEMP or the system temp directory: not a RAM-backed /tmp for large state).',
  },
  'single-part-max-mib': {
    description: 'Artifacts up to this size upload in one PUT with a SHA256 checksum (S3 allows 5 GiB).',
    default: '5120',
  },
  'part-size-mib': { description: 'Multipart part size for larger artifacts.', default: '64' },
  'compression-level': { description: 'zstd level, 1-19.', default: '3' },
  'source-host': { description: 'Recorded in metadata.json as source_host. Default: this host name.' },
};

export interface BackupInputs {
  prefix: BackupPrefix;
  stateDir: string;
  manifests:
    | { kind: 'dir'; dir: string }
    | { kind: 'namespace'; namespace: string; kubectl: string; context?: string };
  backupId?: string;
  stateClaim?: string;
  kmsKeyId?: string;
  /** The KMS key that signs metadata.json (metadata.json.sig); absent: unsigned. */
  signingKey?: string;
  /** Absent: the phase's temp directory (RUNNER_TEMP on a runner). */
  workDir?: string;
  singlePartMaxBytes: number;
  partSizeBytes: number;
  compressionLevel: number;
  sourceHost?: string;
}

const MIB = 1024 * 1024;

function optional(read: (name: string) => string, name: string): string | undefined {
  return read(name).trim() || undefined;
}

export function parseBackupInputs(read: (name: string) => string): BackupInputs {
  const dir = optional(read, 'manifests-dir');
  const namespace = optional(read, 'namespace');
  if (Boolean(dir) === Boolean(namespace))
    throw new InputError('manifests-dir', 'give exactly one of manifests-dir and namespace');
  const backupId = optional(read, 'backup-id');
  if (backupId && !BACKUP_ID.test(backupId))
    throw new InputError(
      'backup-id',
      `${quoted(backupId)} may use only A-Z a-z 0-9 . _ - (1-128, not 'backups')`,
    );
  const kmsKeyId = parseKmsKeyId('kms-key-id', read('kms-key-id'));
  const signingKey = parseKmsKeyId('signing-key', read('signing-key'));
  const context = optional(read, 'kube-context');
  const claim = optional(read, 'state-claim');
  const workDir = optional(read, 'work-dir');
  return {
    ...(claim ? { stateClaim: parseDnsLabel('state-claim', claim) } : {}),
    prefix: parseBackupPrefix('backup-uri', read('backup-uri')),
    stateDir: path.resolve(required('state-dir', read('state-dir'))),
    manifests: dir
      ? { kind: 'dir', dir: path.resolve(dir) }
      : {
          kind: 'namespace',
          namespace: parseDnsLabel('namespace', namespace ?? ''),
          kubectl: required('kubectl', read('kubectl')),
          ...(context ? { context } : {}),
        },
    backupId,
    kmsKeyId,
    ...(signingKey ? { signingKey } : {}),
    ...(workDir ? { workDir: path.resolve(workDir) } : {}),
    singlePartMaxBytes:
      parseNumber('single-part-max-mib', read('single-part-max-mib'), { min: 1, max: 5120, integer: true }) *
      MIB,
    partSizeBytes:
      parseNumber('part-size-mib', read('part-size-mib'), { min: 5, max: 5120, integer: true }) * MIB,
    compressionLevel: parseNumber('compression-level', read('compression-level'), {
      min: 1,
      max: 19,
      integer: true,
    }),
    sourceHost: optional(read, 'source-host'),
  };
}

/**
 * The default backup id: the UTC time to the millisecond, which sorts like the backups themselves, and 8
 * random hex digits, so two scheduled runs in the same millisecond still get different ids (issue 19.4).
 * Every object of a backup is written once anyway; a unique id keeps the second run from failing.
 */
export function backupIdFor(now: Date, random: () => Buffer = () => randomBytes(4)): string {
  const time = now.toISOString().replace(/[-:]/g, '');
  return `${time}-${random().toString('hex').slice(0, 8).padStart(8, '0')}`;
}
