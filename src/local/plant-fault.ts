import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DEMO_BACKUP, seedDemoBackup } from './demo-backup.js';
import type { FaultKind, PlantedFault } from './negative-drill.js';

/**
 * Plants a negative drill's fault in the rehearsal's own emulator buckets (an isolated copy: nothing else
 * reads them). The corruption is written the way bit rot or an attacker with bucket access would: a plain
 * PutObject over the archive, bypassing standby's write-once path, so metadata.json still pins the old sha256.
 */
export async function plantFault(s3: S3Client, kind: FaultKind, now: Date): Promise<PlantedFault> {
  const good = DEMO_BACKUP.backupId;
  switch (kind) {
    case 'corrupt-newest-backup': {
      const newer = { ...DEMO_BACKUP, backupId: 'bk-demo-0900-corrupt', ageHours: 1 };
      await seedDemoBackup(s3, now, newer);
      await corruptStateArchive(s3, newer.backupId);
      return { kind, backupId: newer.backupId, fallbackId: good };
    }
    case 'future-backup': {
      const future = { ...DEMO_BACKUP, backupId: 'bk-demo-future', ageHours: -48 };
      await seedDemoBackup(s3, now, future);
      return { kind, backupId: future.backupId, fallbackId: good };
    }
    case 'corrupt-only-backup':
      await corruptStateArchive(s3, good);
      return { kind, backupId: good };
  }
}

async function corruptStateArchive(s3: S3Client, backupId: string): Promise<void> {
  const key = `${DEMO_BACKUP.prefix}/backups/${backupId}/state.tar.zst`;
  const object = await s3.send(new GetObjectCommand({ Bucket: DEMO_BACKUP.bucket, Key: key }));
  const bytes = Buffer.from(await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff; // one flipped byte: same size, other sha256
  await s3.send(new PutObjectCommand({ Bucket: DEMO_BACKUP.bucket, Key: key, Body: bytes }));
}
