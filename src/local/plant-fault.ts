import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.js';
import { kmsClient, signingKey, signMetadata } from '../aws/kms-signing.js';
import { SIGNATURE_OBJECT } from '../backup/signature.js';
import { RECEIPT_SCHEMA, type Receipt, serializeReceipt } from '../receipts/envelope.js';
import { DEMO_BACKUP, seedDemoBackup } from './demo-backup.js';
import { DEMO } from './demo-publisher.js';
import type { StandInRun } from './github-stand-in.js';
import type { LocalFaultKind, PlantedFault } from './negative-drill.js';

/**
 * Plants a negative drill's fault in the rehearsal's own emulator buckets (an isolated copy: nothing else
 * reads them). The corruption is written the way bit rot or an attacker with bucket access would: a plain
 * PutObject over the archive, bypassing standby's write-once path, so metadata.json still pins the old sha256.
 */
export async function plantFault(aws: AwsClients, kind: LocalFaultKind, now: Date): Promise<PlantedFault> {
  const { s3 } = aws;
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
    case 'resigned-newest-backup': {
      // The deployment's key signs the good backup; another key (an attacker's, or a rotated-out one)
      // signs a newer backup that is otherwise intact.
      const deployment = await signWithNewKey(aws, good, 'the deployment signing key');
      const newer = { ...DEMO_BACKUP, backupId: 'bk-demo-0900-resigned', ageHours: 1 };
      await seedDemoBackup(s3, now, newer);
      await signWithNewKey(aws, newer.backupId, 'another key');
      return { kind, backupId: newer.backupId, fallbackId: good, verifyKey: deployment };
    }
    case 'forged-approval': {
      await forgeApproval(s3, now);
      return { kind, backupId: good, forgedExecutionId: FORGED_EXECUTION };
    }
    case 'unpinned-image': {
      // Intact and newest, but its CronJobs name the image by a tag that can move before the restore.
      const image = 'registry.example.com/jobintel:latest';
      const tagged = { ...DEMO_BACKUP, backupId: 'bk-demo-0900-tagged', ageHours: 1, image };
      await seedDemoBackup(s3, now, tagged);
      return { kind, backupId: tagged.backupId, image };
    }
  }
}

/** The real-DR pipeline run the forged approval claims (a run GitHub knows, with no review of its gate). */
export const FORGED_RUN: StandInRun = {
  repository: 'standby-demo/jobintel',
  runId: '4242424242',
  workflowFile: 'alarm.yml',
  actor: 'demo-oncall',
};
export const FORGED_EXECUTION = `alarm-${FORGED_RUN.runId}`;

/**
 * The forgery at its best: a well-formed promote receipt that says the execution's own pipeline run wrote
 * it and a reviewer approved, put by a plain PutObject (not the promote phase, no sequence claim) in an
 * alarm execution's folder, so activation does not stop at "a drill" and must prove the approval.
 */
async function forgeApproval(s3: S3Client, now: Date): Promise<void> {
  const at = now.toISOString();
  const receipt: Receipt = {
    schema: RECEIPT_SCHEMA,
    execution_id: FORGED_EXECUTION,
    phase: 'promote',
    attempt: 1,
    sequence: 1,
    status: 'ok',
    started_at: at,
    ended_at: at,
    duration_ms: 0,
    source: {
      kind: 'github-actions',
      repository: FORGED_RUN.repository,
      workflow: `${FORGED_RUN.repository}/.github/workflows/${FORGED_RUN.workflowFile}@refs/heads/main`,
      run_id: FORGED_RUN.runId,
      run_attempt: '1',
      commit: '0'.repeat(40),
      actor: FORGED_RUN.actor,
      event: 'workflow_dispatch',
    },
    aws: { account_id: null, region: 'us-east-1', endpoint: null },
    inputs: {},
    outputs: {
      'promotion-status': 'approved_but_auto_promote_disabled',
      'decided-by': 'demo-reviewer',
      comment: 'lgtm',
      'recorded-at': at,
      ticket: '',
    },
    error: null,
    previous: null,
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: DEMO.receiptBucket,
      Key: `standby/receipts/${FORGED_EXECUTION}/promote.json`,
      Body: serializeReceipt(receipt),
      ContentType: 'application/json',
    }),
  );
}

/** Creates an ECC_NIST_P256 signing key in the emulator's KMS and signs one backup with it; its ARN. */
async function signWithNewKey(aws: AwsClients, backupId: string, description: string): Promise<string> {
  const created = await aws
    .client('kms', (c) => new KMSClient(c))
    .send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: `standby drill --local: ${description}`,
      }),
    );
  const arn = created.KeyMetadata?.Arn ?? '';
  const kms = kmsClient(aws, arn);
  const folder = `${DEMO_BACKUP.prefix}/backups/${backupId}`;
  const metadata = await aws.s3.send(
    new GetObjectCommand({ Bucket: DEMO_BACKUP.bucket, Key: `${folder}/metadata.json` }),
  );
  const bytes = await (metadata.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()));
  const signature = await signMetadata(kms, await signingKey(kms, arn), bytes);
  await aws.s3.send(
    new PutObjectCommand({
      Bucket: DEMO_BACKUP.bucket,
      Key: `${folder}/${SIGNATURE_OBJECT}`,
      Body: JSON.stringify(signature),
      ContentType: 'application/json',
    }),
  );
  return arn;
}

async function corruptStateArchive(s3: S3Client, backupId: string): Promise<void> {
  const key = `${DEMO_BACKUP.prefix}/backups/${backupId}/state.tar.zst`;
  const object = await s3.send(new GetObjectCommand({ Bucket: DEMO_BACKUP.bucket, Key: key }));
  const bytes = Buffer.from(await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff; // one flipped byte: same size, other sha256
  await s3.send(new PutObjectCommand({ Bucket: DEMO_BACKUP.bucket, Key: key, Body: bytes }));
}
