import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { BackupExistsError, createBackup } from '../backup/create.js';
import { backupIn, parseBackupPrefix } from '../backup/layout.js';
import type { KubeObject } from '../backup/manifests.js';
import { STANDBY_VERSION } from '../backup/version.js';
import { ensureBucket } from './demo-publisher.js';

/** The image the demo CronJobs run: the image-ref the rehearsal gives request-approval too. */
export const DEMO_IMAGE = `registry.example.com/jobintel@sha256:${'0'.repeat(64)}`;

/** The demo backup the local rehearsal restores, made by the same code as `standby backup`. */
export const DEMO_BACKUP = {
  bucket: 'standby-demo-backups',
  prefix: 'jobintel',
  backupId: 'bk-demo-0400',
  namespace: 'jobintel',
  stateClaim: 'jobintel-state',
  cronjobs: ['ingest-daily', 'publish-daily'],
  /** How old the backup is when seeded: the drill's RPO. */
  ageHours: 6,
  /** The image its CronJobs name. */
  image: DEMO_IMAGE,
};

/** The backups prefix: what the workflows give restore-precheck (the newest good backup under it). */
export function demoBackupPrefix(demo = DEMO_BACKUP): string {
  return `s3://${demo.bucket}/${demo.prefix}/backups/`;
}

/** The application as the state contract wants it: a claim for the state, CronJobs mounting it. */
function demoManifests(demo = DEMO_BACKUP): KubeObject[] {
  const ns = demo.namespace;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: demo.stateClaim, namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    ...demo.cronjobs.map((name) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: ns },
      spec: {
        schedule: '0 4 * * *',
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  {
                    name,
                    image: demo.image,
                    volumeMounts: [{ name: 'state', mountPath: '/var/lib/jobintel' }],
                  },
                ],
                volumes: [{ name: 'state', persistentVolumeClaim: { claimName: demo.stateClaim } }],
              },
            },
          },
        },
      },
    })),
  ];
}

async function demoState(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'jobintel'), { recursive: true });
  await writeFile(
    path.join(dir, 'jobintel', 'checkpoint.json'),
    JSON.stringify({ last_run: 'run-20261119-0400', cursor: 918273 }),
  );
  await writeFile(
    path.join(dir, 'jobintel', 'providers.json'),
    JSON.stringify(['acme/daily', 'acme/hourly', 'globex/daily']),
  );
}

/**
 * Seeds the demo backup through createBackup (deterministic archives, single-part SHA256 uploads,
 * metadata.json last), created `ageHours` before `now`. A backup of that id already there (an emulator
 * reused with --endpoint-url) is kept as it is.
 */
export async function seedDemoBackup(
  s3: S3Client,
  now: Date,
  demo = DEMO_BACKUP,
): Promise<{ uri: string; prefix: string; createdUtc: string }> {
  await ensureBucket(s3, demo.bucket);
  const prefix = parseBackupPrefix('backup-uri', demoBackupPrefix(demo));
  const backup = backupIn(prefix, demo.backupId);
  const created = new Date(now.getTime() - demo.ageHours * 3_600_000);
  const work = await mkdtemp(path.join(tmpdir(), 'standby-demo-'));
  try {
    await demoState(path.join(work, 'state'));
    await createBackup(s3, {
      backup,
      stateDir: path.join(work, 'state'),
      manifests: demoManifests(demo),
      manifestSource: 'standby drill --local (demo)',
      stateClaim: demo.stateClaim,
      workDir: work,
      createdUtc: created,
      sourceHost: 'standby-demo-primary',
      toolVersion: STANDBY_VERSION,
      compressionLevel: 3,
      upload: { singlePartMaxBytes: 64 * 1024 * 1024, partSizeBytes: 8 * 1024 * 1024 },
    });
  } catch (error) {
    if (!(error instanceof BackupExistsError)) throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { uri: backup.uri, prefix: prefix.uri, createdUtc: created.toISOString() };
}
