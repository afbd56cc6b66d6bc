import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { useEmulator } from '../../helpers/emulator.js';
import { s3Storm, throughFaultProxy } from '../../helpers/fault-proxy.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';
import { runBackup, runPrecheck, runPrune, sourceTree } from '../../helpers/standby-backup.js';

const emulator = useEmulator();

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

  it('19.6: a backup whose created_utc is in the future is never the newest good, takes no slot, is not deleted, and is reported', async () => {
    await backupsOn(['2026-11-20', '2026-11-21', '2026-11-22']);
    // Made on a primary whose clock ran a month and a half ahead.
    const { stateDir, manifestsDir } = sourceTree();
    await runBackup(
      { 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': 'bk-future' },
      at('2027-01-10T03:00:00Z'),
    );
    const result = await runPrune(
      { 'keep-daily': '1', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' },
      NOW,
    );
    expect(result.failure).toBeUndefined();
    expect(result.outputs['newest-good']).toBe('bk-2026-11-22');
    expect(await remaining()).toEqual(['bk-2026-11-22', 'bk-future']);
    const kept = result.outputs.kept as { backup_id: string; reasons: string[] }[];
    expect(kept.find((k) => k.backup_id === 'bk-future')?.reasons).toEqual([
      'created_utc 2027-01-10T03:00:00.000Z is in the future (a wrong clock?): never the newest good, takes no slot, not deleted',
    ]);
    expect(kept.find((k) => k.backup_id === 'bk-2026-11-22')?.reasons).toEqual([
      'newest good backup',
      'daily 2026-11-22',
    ]);
    expect(result.io.logs.join('\n')).toMatch(
      /warning: bk-future: created_utc 2027-01-10T03:00:00\.000Z is in the future/,
    );
  });

  it('19.6: the newest backup cannot be checked right now (HEAD 500 after retries): it is kept and prune deletes nothing', async () => {
    await backupsOn(['2026-11-21', '2026-11-22', '2026-11-23']);
    const result = await throughFaultProxy(
      emulator.endpoint,
      [s3Storm('HEAD', '/batch/backups/bk-2026-11-23/')],
      () =>
        runPrune({ 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' }, NOW),
    );
    expect(result.failure?.reason).toBe('backup_unavailable');
    expect(result.failure?.message).toMatch(
      /^nothing deleted: 1 backup\(s\) that may be newer than the newest good one \(bk-2026-11-22\) could not be assessed right now: bk-2026-11-23 \(backup_unavailable: /,
    );
    expect(result.outputs.deleted).toEqual([]);
    expect(await remaining()).toEqual(['bk-2026-11-21', 'bk-2026-11-22', 'bk-2026-11-23']);
  });

  it('19.6: a metadata.json S3 does not answer for is unknown, not bad: kept; newer than the newest good, prune fails closed', async () => {
    await backupsOn(['2026-11-21']);
    // S3 times are to the second: the oldest folder is last written a clear second before the others.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await backupsOn(['2026-11-22', '2026-11-23']);
    const newest = await throughFaultProxy(
      emulator.endpoint,
      [s3Storm('GET', '/batch/backups/bk-2026-11-23/metadata.json')],
      () =>
        runPrune({ 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' }, NOW),
    );
    expect(newest.failure?.reason).toBe('backup_unavailable');
    expect(await remaining()).toEqual(['bk-2026-11-21', 'bk-2026-11-22', 'bk-2026-11-23']);
    // The oldest one unreadable: it is older than the newest good backup, so prune goes on, and keeps it.
    const oldest = await throughFaultProxy(
      emulator.endpoint,
      [s3Storm('GET', '/batch/backups/bk-2026-11-21/metadata.json')],
      () =>
        runPrune({ 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' }, NOW),
    );
    expect(oldest.failure).toBeUndefined();
    expect(await remaining()).toEqual(['bk-2026-11-21', 'bk-2026-11-23']);
    const kept = oldest.outputs.kept as { backup_id: string; reasons: string[] }[];
    expect(kept.find((k) => k.backup_id === 'bk-2026-11-21')?.reasons[0]).toMatch(
      /^could not be assessed right now \(backup_unavailable: cannot read metadata\.json: InternalError/,
    );
  });

  it('19.6: two backups with the same created_utc: prune keeps the one restore-precheck chooses (one ordering)', async () => {
    await ensureBucket(s3(), 'backups');
    await ensureBucket(s3(), 'receipts');
    const same = at('2026-11-23T03:00:00Z');
    for (const id of ['bk-a', 'bk-b', 'bk-c']) {
      const { stateDir, manifestsDir } = sourceTree({ 'cursor.json': id });
      await runBackup({ 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': id }, same);
    }
    const now = at('2026-11-23T06:00:00Z');
    const before = await runPrecheck({}, now);
    expect(before.failure).toBeUndefined();
    const chosen = before.outputs['backup-id'];
    const pruned = await runPrune(
      { 'keep-daily': '0', 'keep-weekly': '0', apply: 'true', 'receipt-bucket': 'receipts' },
      now,
    );
    expect(pruned.failure).toBeUndefined();
    expect(pruned.outputs['newest-good']).toBe(chosen);
    expect(await remaining()).toEqual([chosen]);
    expect((await runPrecheck({}, now)).outputs['backup-id']).toBe(chosen);
  });
});
