import { createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { useEmulator } from '../helpers/emulator.js';
import { createKmsKey, kms } from '../helpers/kms.js';
import { runBackup, sourceTree } from '../helpers/standby-backup.js';
import { captureTerminal } from '../helpers/terminal.js';

/** Issue 23.5: `standby backup verify` with a PEM public key (offline) or a KMS key, on the emulator. */
useEmulator();
const s3 = () => new AwsClients().s3;
const URI = 's3://backups/batch/backups/bk-1';

async function signedBackup(signingKey: string) {
  await ensureBucket(s3(), 'backups');
  const { stateDir, manifestsDir } = sourceTree();
  const made = await runBackup({
    'state-dir': stateDir,
    'manifests-dir': manifestsDir,
    'backup-id': 'bk-1',
    'signing-key': signingKey,
  });
  if (made.failure) throw new Error(made.failure.message);
}

/** The key's public half as GetPublicKey gives it (DER SPKI), written as the PEM file an operator keeps. */
async function pemFile(keyArn: string): Promise<string> {
  const der = (await kms().send(new GetPublicKeyCommand({ KeyId: keyArn }))).PublicKey as Uint8Array;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'standby-pem-')), 'backup-signing.pem');
  writeFileSync(
    file,
    createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({
      type: 'spki',
      format: 'pem',
    }),
  );
  return file;
}

async function verify(...flags: string[]) {
  const term = captureTerminal();
  const code = await runCli(['backup', 'verify', '--backup-uri', URI, ...flags], term);
  const out = term.stdout.join('\n');
  return {
    code,
    out,
    report: out.startsWith('{') ? JSON.parse(out) : undefined,
    err: term.stderr.join('\n'),
  };
}

async function rewrite(name: string, change: (bytes: Buffer) => Buffer) {
  const key = `batch/backups/bk-1/${name}`;
  const got = await s3().send(new GetObjectCommand({ Bucket: 'backups', Key: key }));
  const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
  await s3().send(new PutObjectCommand({ Bucket: 'backups', Key: key, Body: change(bytes) }));
}

describe('standby backup verify', () => {
  it('verifies a signed backup with the KMS key, and offline with its PEM public key', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    await signedBackup(key);
    const viaKms = await verify('--signing-key', key, '--json');
    expect(viaKms.code).toBe(EXIT.ok);
    expect(viaKms.report).toMatchObject({
      verdict: 'ok',
      signature: { result: 'ok', key_id: key, algorithm: 'ECDSA_SHA_256' },
    });
    expect(viaKms.report.artifacts.map((a: { result: string }) => a.result)).toEqual(['ok', 'ok']);
    const pem = await pemFile(key);
    const saved = process.env.AWS_ENDPOINT_URL_KMS;
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9'; // no KMS reachable: the PEM path must not need it
    try {
      const offline = await verify('--public-key', pem);
      expect(offline.code).toBe(EXIT.ok);
      expect(offline.out).toContain('verified: signed by the key, every artifact intact');
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_KMS;
      else process.env.AWS_ENDPOINT_URL_KMS = saved;
    }
  });

  it('refuses (exit 3) another key, a corrupt artifact, altered metadata and a malformed signature', async () => {
    const key = await createKmsKey('RSA_2048');
    const other = await createKmsKey('ECC_NIST_P256');
    await signedBackup(key);
    expect((await verify('--public-key', await pemFile(other), '--json')).report).toMatchObject({
      verdict: 'refused',
      signature: { result: 'invalid', detail: expect.stringContaining('wrong_key') },
      artifacts: [],
    });
    await rewrite('state.tar.zst', (b) =>
      Buffer.concat([b.subarray(0, -1), Buffer.from([(b.at(-1) ?? 0) ^ 1])]),
    );
    const corrupt = await verify('--signing-key', key, '--json');
    expect(corrupt.code).toBe(EXIT.attention);
    expect(corrupt.report.signature.result).toBe('ok');
    expect(corrupt.report.artifacts.map((a: { result: string }) => a.result)).toContain('checksum_mismatch');
    await rewrite('metadata.json', (b) =>
      Buffer.from(b.toString().replace('"source_host": "', '"source_host": "x')),
    );
    const altered = await verify('--signing-key', key);
    expect(altered.code).toBe(EXIT.attention);
    expect(altered.out).toMatch(/metadata\.json\.sig {2}invalid: metadata\.json\.sig altered/);
    expect(altered.out).toContain('REFUSED');
    await s3().send(
      new PutObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-1/metadata.json.sig',
        Body: 'not json',
      }),
    );
    expect((await verify('--signing-key', key, '--json')).report.signature.detail).toMatch(/malformed/);
  });

  it('an unsigned backup is refused', async () => {
    const key = await createKmsKey('ECC_NIST_P256');
    await signedBackup('');
    const unsigned = await verify('--signing-key', key, '--json');
    expect(unsigned.code).toBe(EXIT.attention);
    expect(unsigned.report.signature.detail).toMatch(/unsigned: no metadata.json.sig/);
  });

  it('usage errors (exit 2): neither or both keys, a prefix URI, a file that is not a PEM key', async () => {
    expect((await verify()).code).toBe(EXIT.usage);
    expect((await verify('--public-key', 'a.pem', '--signing-key', 'alias/k')).code).toBe(EXIT.usage);
    const notPem = path.join(mkdtempSync(path.join(tmpdir(), 'standby-pem-')), 'x.pem');
    writeFileSync(notPem, 'hello');
    const bad = await verify('--public-key', notPem);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toMatch(/--public-key.*not a PEM public key/);
    const term = captureTerminal();
    expect(
      await runCli(
        ['backup', 'verify', '--backup-uri', 's3://backups/batch/backups/', '--signing-key', 'alias/k'],
        term,
      ),
    ).toBe(EXIT.usage);
  });
});
