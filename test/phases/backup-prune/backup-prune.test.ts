import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { useEmulator } from '../../helpers/emulator.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';
import { runBackup, runPrune, sourceTree } from '../../helpers/standby-backup.js';

useEmulator();

const s3 = () => new AwsClients().s3;
const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-24T06:00:00Z');

/** Backups made by `standby backup` on the given days (03:00 UTC), ids bk-<date>. */
async function backupsOn(days: string[]) {
  await ensureBucket(s3(), 'backups');
  await ensureBucket(s3(), 'receipts');
  const { stateDir, manifestsDir } = sourceTree();
  for (const day of days) {
    const made = await runBackup(
      { 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': `bk-${day}` },
      at(`${day}T03:00:00Z`),
    );
    if (made.failure) throw new Error(made.failure.message);
  }
}

async function remaining(): Promise<string[]> {
  const listing = await s3().send(new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'batch/backups/' }));
  return [...new Set((listing.Contents ?? []).map((o) => o.Key?.split('/')[2] ?? ''))].sort();
}

async function openExecution(executionId: string, backupId: string, tornDown = false) {
  const store = new S3ReceiptStore(s3(), { bucket: 'receipts', prefix: 'standby/receipts', executionId });
  await store.write(
    receiptDraft({
      execution_id: executionId,
      phase: 'restore-precheck',
      outputs: { 'backup-uri': `s3://backups/batch/backups/${backupId}` },
    }),
  );
  if (tornDown) await store.write(receiptDraft({ execution_id: executionId, phase: 'teardown' }));
}

const DAYS = ['2026-11-01', '2026-11-10', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];

describe('standby backup prune on the emulator', () => {
  it('is a dry run by default: reports what it would delete, deletes nothing, leaves a receipt', async () => {
    await backupsOn(DAYS);
    const result = await runPrune(
      { 'keep-daily': '2', 'keep-weekly': '1', 'receipt-bucket': 'receipts' },
      NOW,
    );
    expect(result.failure).toBeUndefined();
    expect(result.outputs.mode).toBe('dry-run');
    expect((result.outputs.deleted as { backup_id: string }[]).map((d) => d.backup_id)).toEqual([
      'bk-2026-11-21',
      'bk-2026-11-20',
      'bk-2026-11-10',
      'bk-2026-11-01',
    ]);
    expect(await remaining()).toHaveLength(6);
    expect(result.receipt?.receipt).toMatchObject({
      phase: 'backup-prune',
      status: 'ok',
      outputs: { mode: 'dry-run' },
    });
  });

  it('with apply, deletes outside the slots but keeps a backup an open DR execution uses; a torn-down one protects nothing', async () => {
    await backupsOn(DAYS);
    await openExecution('dr-77', 'bk-2026-11-10');
    await openExecution('drill-5', 'bk-2026-11-01', true);
    const result = await runPrune(
      { 'keep-daily': '2', 'keep-weekly': '1', apply: 'true', 'receipt-bucket': 'receipts' },
      NOW,
    );
    expect(result.failure).toBeUndefined();
    expect(await remaining()).toEqual(['bk-2026-11-10', 'bk-2026-11-22', 'bk-2026-11-23']);
    const kept = result.outputs.kept as { backup_id: string; reasons: string[] }[];
    expect(kept.find((k) => k.backup_id === 'bk-2026-11-10')?.reasons).toEqual([
      'referenced by open DR execution dr-77',
    ]);
    expect(result.outputs['newest-good']).toBe('bk-2026-11-23');
  });

  it('never deletes the newest good backup even when newer ones are broken and no slot is kept', async () => {
    await backupsOn(['2026-11-20', '2026-11-21']);
    // A newer backup whose state artifact was truncated after the fact: complete, but not good.
    await backupsOn(['2026-11-23']);
    await s3().send(
      new PutObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-2026-11-23/state.tar.zst',
        Body: Buffer.from('truncated'),
      }),
    );
    const result = await runPrune(
      { 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' },
      NOW,
    );
    expect(result.failure).toBeUndefined();
    expect(result.outputs['newest-good']).toBe('bk-2026-11-21');
    expect(await remaining()).toEqual(['bk-2026-11-21']);
  });

  it('keeps an unfinished backup still within the grace period, deletes an abandoned one', async () => {
    await backupsOn(['2026-11-23']);
    for (const id of ['bk-uploading', 'bk-abandoned'])
      await s3().send(
        new PutObjectCommand({
          Bucket: 'backups',
          Key: `batch/backups/${id}/state.tar.zst`,
          Body: Buffer.from('x'),
        }),
      );
    // Both were written "now" by the emulator's clock: within 24 h of a NOW in the same minute.
    const now = new Date();
    const dry = await runPrune({ 'receipt-bucket': 'receipts' }, now);
    expect((dry.outputs.kept as { backup_id: string }[]).map((k) => k.backup_id)).toContain('bk-uploading');
    const later = new Date(now.getTime() + 25 * 3_600_000);
    const wet = await runPrune({ apply: 'true', 'receipt-bucket': 'receipts' }, later);
    expect(wet.failure).toBeUndefined();
    expect(await remaining()).toEqual(['bk-2026-11-23']);
  });

  it('refuses to apply without receipts to read (it could not see open executions)', async () => {
    await backupsOn(['2026-11-23']);
    const result = await runPrune({ apply: 'true' }, NOW);
    expect(result.failure).toMatchObject({ reason: 'invalid_input' });
    expect(result.failure?.message).toMatch(/open DR executions/);
  });

  it('deletes nothing and fails when no recent backup is good', async () => {
    await backupsOn(['2026-11-23']);
    await s3().send(
      new PutObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-2026-11-23/state.tar.zst',
        Body: Buffer.from('truncated'),
      }),
    );
    const result = await runPrune(
      { 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' },
      NOW,
    );
    expect(result.failure?.reason).toBe('no_good_backup');
    expect(await remaining()).toEqual(['bk-2026-11-23']);
  });
});
