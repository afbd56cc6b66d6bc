import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { Candidate } from '../../../src/backup/selection.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { useEmulator } from '../../helpers/emulator.js';
import { s3Storm, throughFaultProxy } from '../../helpers/fault-proxy.js';
import { createKmsKey, kms } from '../../helpers/kms.js';
import { runBackup, runPrecheck, sourceTree } from '../../helpers/standby-backup.js';

/**
 * Issue 23.5: with `verify-key`, restore-precheck refuses an unsigned, re-signed or altered backup
 * (signature_invalid) before reading its artifacts, and falls back to the next candidate, exactly as for
 * an integrity failure. Keys and signatures come from the emulator's KMS.
 */
const emulator = useEmulator();
const s3 = () => new AwsClients().s3;
const hours = (n: number) => new Date(Date.parse('2026-11-22T00:00:00Z') + n * 3_600_000);
const verdicts = (candidates: unknown) =>
  (candidates as Candidate[]).map((c) => `${c.backup_id}:${c.verdict}`);

/** bk-1 … bk-3, 12 h apart; `keys[i]` signs bk-(i+1) ('' leaves it unsigned). */
async function backups(keys: string[]) {
  await ensureBucket(s3(), 'backups');
  for (const [i, key] of keys.entries()) {
    const { stateDir, manifestsDir } = sourceTree({ 'cursor.json': `{"offset": ${i}}` });
    const made = await runBackup(
      {
        'state-dir': stateDir,
        'manifests-dir': manifestsDir,
        'backup-id': `bk-${i + 1}`,
        'signing-key': key,
      },
      hours(12 * i),
    );
    if (made.failure) throw new Error(made.failure.message);
  }
}

/** Rewrites metadata.json after signing (a plain PutObject, as someone with write access could). */
async function alterMetadata(id: string) {
  const key = `batch/backups/${id}/metadata.json`;
  const got = await s3().send(new GetObjectCommand({ Bucket: 'backups', Key: key }));
  const metadata = JSON.parse((await got.Body?.transformToString()) ?? '{}');
  metadata.source_host = 'somewhere-else';
  await s3().send(
    new PutObjectCommand({ Bucket: 'backups', Key: key, Body: `${JSON.stringify(metadata, null, 2)}\n` }),
  );
}

async function pemOf(keyArn: string): Promise<string> {
  const der = (await kms().send(new GetPublicKeyCommand({ KeyId: keyArn }))).PublicKey as Uint8Array;
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

describe('restore-precheck verify-key (signed backups on the emulator KMS)', () => {
  it('takes the newest backup whose signature and artifacts prove good', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    await backups([key, key, key]);
    const result = await runPrecheck({ 'verify-key': key }, hours(26));
    expect(result.failure).toBeUndefined();
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-3:chosen',
      'bk-2:not_checked',
      'bk-1:not_checked',
    ]);
    expect((result.outputs.candidates as Candidate[])[0]?.detail).toMatch(/signature and integrity proven/);
  });

  it.each([
    ['altered after signing', 'altered'],
    ['signed by another key', 'wrong_key'],
    ['unsigned', 'unsigned'],
  ] as const)(
    'refuses a newest backup %s (signature_invalid) and falls back to the older signed one',
    async (_name, problem) => {
      const key = await createKmsKey('ECC_NIST_P256');
      const other = await createKmsKey('ECC_NIST_P256');
      const newest = problem === 'wrong_key' ? other : problem === 'unsigned' ? '' : key;
      await backups([key, key, newest]);
      if (problem === 'altered') await alterMetadata('bk-3');
      const result = await runPrecheck({ 'verify-key': key }, hours(26));
      expect(result.failure).toBeUndefined();
      expect(result.outputs['backup-id']).toBe('bk-2');
      const candidates = result.outputs.candidates as Candidate[];
      expect(verdicts(candidates)).toEqual(['bk-3:signature_invalid', 'bk-2:chosen', 'bk-1:not_checked']);
      expect(candidates[0]?.detail).toContain(`metadata.json.sig ${problem}`);
    },
  );

  it('reads no artifact of a backup whose signature fails (refused before the integrity checks)', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    await backups([key, '']);
    // Every HEAD of bk-2's artifacts would fail: its refusal must not depend on them.
    const result = await throughFaultProxy(emulator.endpoint, [s3Storm('HEAD', '/batch/backups/bk-2/')], () =>
      runPrecheck({ 'verify-key': key }, hours(14)),
    );
    expect(verdicts(result.outputs.candidates)).toEqual(['bk-2:signature_invalid', 'bk-1:chosen']);
  });

  it('fails signature_invalid when no candidate verifies; without verify-key the same backups pass', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    const other = await createKmsKey('RSA_2048');
    await backups(['', other]);
    const refused = await runPrecheck({ 'verify-key': key }, hours(14));
    expect(refused.failure?.reason).toBe('signature_invalid');
    expect(refused.failure?.message).toMatch(
      /every backup within the age bound failed signature verification/,
    );
    expect(verdicts(refused.outputs.candidates)).toEqual([
      'bk-2:signature_invalid',
      'bk-1:signature_invalid',
    ]);
    const unchanged = await runPrecheck({}, hours(14));
    expect(unchanged.failure).toBeUndefined();
    expect(unchanged.outputs['backup-id']).toBe('bk-2');
  });

  it('one backup by URI: an unsigned one is refused, a signed one passes', async () => {
    const key = await createKmsKey('RSA_2048');
    await backups([key, '']);
    const one = (id: string) =>
      runPrecheck({ 'verify-key': key, 'backup-uri': `s3://backups/batch/backups/${id}` }, hours(14));
    const unsigned = await one('bk-2');
    expect(unsigned.failure?.reason).toBe('signature_invalid');
    expect(verdicts(unsigned.outputs.candidates)).toEqual(['bk-2:signature_invalid']);
    expect(unsigned.outputs.integrity).toEqual([]);
    expect((await one('bk-1')).failure).toBeUndefined();
  });

  it('verifies offline with a PEM public key: no KMS call (KMS endpoint unreachable)', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    const other = await createKmsKey('ECC_NIST_P256');
    await backups([key, other]);
    const pem = await pemOf(key);
    const saved = process.env.AWS_ENDPOINT_URL_KMS;
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9';
    try {
      const result = await runPrecheck({ 'verify-key': pem }, hours(14));
      expect(result.failure).toBeUndefined();
      expect(verdicts(result.outputs.candidates)).toEqual(['bk-2:signature_invalid', 'bk-1:chosen']);
      // The KMS key itself cannot be reached here: the PEM path above made no KMS call.
      const viaKms = await runPrecheck({ 'verify-key': key }, hours(14));
      expect(viaKms.failure?.reason).toBe('error');
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_KMS;
      else process.env.AWS_ENDPOINT_URL_KMS = saved;
    }
  });

  it('refuses a verify-key that is neither a KMS key nor a PEM public key (invalid_input)', async () => {
    await ensureBucket(s3(), 'backups');
    const bad = await runPrecheck({
      'verify-key': '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
    });
    expect(bad.failure?.reason).toBe('invalid_input');
    const spaces = await runPrecheck({ 'verify-key': 'alias/has spaces' });
    expect(spaces.failure?.reason).toBe('invalid_input');
  });
});
