import { createHash } from 'node:crypto';
import { zstdCompressSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from './demo-publisher.js';
import { createTar } from './tar.js';

/** The demo backup the local rehearsal restores: real .tar.zst archives and a metadata.json. */
export const DEMO_BACKUP = {
  bucket: 'standby-demo-backups',
  prefix: 'jobintel',
  backupId: 'bk-demo-0400',
  namespace: 'jobintel',
  cronjobs: ['ingest-daily', 'publish-daily'],
  /** How old the backup is when seeded: the drill's RPO. */
  ageHours: 6,
};

export function demoBackupUri(demo = DEMO_BACKUP): string {
  return `s3://${demo.bucket}/${demo.prefix}/backups/${demo.backupId}`;
}

function cronJobManifest(name: string, namespace: string): string {
  return [
    'apiVersion: batch/v1',
    'kind: CronJob',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    "  schedule: '0 4 * * *'",
    '  jobTemplate:',
    '    spec:',
    '      backoffLimit: 2',
    '      template:',
    '        spec:',
    '          restartPolicy: Never',
    '          containers:',
    `            - name: ${name}`,
    `              image: registry.example.com/jobintel@sha256:${'0'.repeat(64)}`,
    '',
  ].join('\n');
}

export async function seedDemoBackup(
  s3: S3Client,
  now: Date,
  demo = DEMO_BACKUP,
): Promise<{ uri: string; createdUtc: string }> {
  await ensureBucket(s3, demo.bucket);
  const created = new Date(now.getTime() - demo.ageHours * 3_600_000);
  const state = createTar(
    [
      { path: 'jobintel' },
      {
        path: 'jobintel/checkpoint.json',
        content: JSON.stringify({ last_run: 'run-20261119-0400', cursor: 918273 }),
      },
      {
        path: 'jobintel/providers.json',
        content: JSON.stringify(['acme/daily', 'acme/hourly', 'globex/daily']),
      },
    ],
    created,
  );
  const manifests = createTar(
    [
      { path: 'manifests' },
      ...demo.cronjobs.map((name) => ({
        path: `manifests/${name}.yaml`,
        content: cronJobManifest(name, demo.namespace),
      })),
    ],
    created,
  );
  const artifacts = {
    'state.tar.zst': zstdCompressSync(state),
    'manifests.tar.zst': zstdCompressSync(manifests),
  };
  const folder = `${demo.prefix}/backups/${demo.backupId}`;
  const metadata = {
    backup_id: demo.backupId,
    created_utc: created.toISOString(),
    artifacts: Object.fromEntries(
      Object.entries(artifacts).map(([name, body]) => [
        name,
        { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') },
      ]),
    ),
  };
  const put = (name: string, body: Buffer) =>
    s3.send(
      new PutObjectCommand({
        Bucket: demo.bucket,
        Key: `${folder}/${name}`,
        Body: body,
        // Single-part upload with a SHA256 checksum: S3 keeps a full-object digest precheck can trust.
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
    );
  for (const [name, body] of Object.entries(artifacts)) await put(name, body);
  await put('metadata.json', Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`));
  return { uri: demoBackupUri(demo), createdUtc: metadata.created_utc };
}
