import { execFileSync } from 'node:child_process';
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  chooseAlgorithm,
  parsePublicKey,
  type SigningAlgorithm,
  sha256Hex,
  signatureObject,
  signedStatement,
  verifyBackupSignature,
} from '../../src/backup/signature.js';
import { kmsKeyRegion } from '../../src/validation/kms-key.js';

const metadata = Buffer.from(
  JSON.stringify({ backup_id: 'b1', created_utc: '2026-12-04T00:00:00Z', artifacts: {} }),
);
/** What KMS signs for these metadata bytes (RAW): the statement that pins their sha256. */
const statement = signedStatement(sha256Hex(metadata));
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

function sigBytes(algorithm: SigningAlgorithm, signature: Uint8Array, bytes = metadata): Buffer {
  return Buffer.from(JSON.stringify(signatureObject(bytes, 'alias/standby-backup', algorithm, signature)));
}

describe('verifyBackupSignature (metadata.json.sig)', () => {
  it('accepts an ECDSA_SHA_256 signature of the statement pinning the exact metadata bytes (PEM public key)', () => {
    const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const stored = sigBytes('ECDSA_SHA_256', sign('sha256', statement, ec.privateKey));
    expect(verifyBackupSignature(metadata, stored, parsePublicKey(pem))).toMatchObject({ ok: true });
  });

  it('accepts RSASSA_PSS_SHA_256 with KMS salt length (32) given the DER public key', () => {
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const signature = sign('sha256', statement, {
      key: rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    expect(
      verifyBackupSignature(metadata, sigBytes('RSASSA_PSS_SHA_256', signature), parsePublicKey(der)).ok,
    ).toBe(true);
  });

  it('refuses a signature of the metadata bytes themselves: only the statement is signed', () => {
    const stored = sigBytes('ECDSA_SHA_256', sign('sha256', metadata, ec.privateKey));
    expect(verifyBackupSignature(metadata, stored, ec.publicKey)).toMatchObject({ ok: false });
  });

  it('refuses an unsigned backup', () => {
    expect(verifyBackupSignature(metadata, undefined, ec.publicKey)).toMatchObject({
      ok: false,
      problem: 'unsigned',
    });
  });

  it('refuses a backup re-signed by another key', () => {
    const stored = sigBytes('ECDSA_SHA_256', sign('sha256', statement, otherEc.privateKey));
    expect(verifyBackupSignature(metadata, stored, ec.publicKey)).toMatchObject({
      ok: false,
      problem: 'wrong_key',
    });
  });

  it('refuses metadata altered after signing, even when the recorded sha256 is forged to match', () => {
    const stored = sigBytes('ECDSA_SHA_256', sign('sha256', statement, ec.privateKey));
    const altered = Buffer.from(metadata.toString().replace('b1', 'b2'));
    expect(verifyBackupSignature(altered, stored, ec.publicKey)).toMatchObject({
      ok: false,
      problem: 'altered',
    });
    const forged = JSON.parse(stored.toString());
    forged.metadata_sha256 = signatureObject(altered, 'k', 'ECDSA_SHA_256', new Uint8Array()).metadata_sha256;
    expect(verifyBackupSignature(altered, Buffer.from(JSON.stringify(forged)), ec.publicKey)).toMatchObject({
      ok: false,
      problem: 'wrong_key',
    });
  });

  it('refuses a malformed signature object and an algorithm that does not fit the key', () => {
    expect(verifyBackupSignature(metadata, Buffer.from('not json'), ec.publicKey)).toMatchObject({
      problem: 'malformed',
    });
    const rsaSigned = sigBytes('RSASSA_PSS_SHA_256', sign('sha256', statement, ec.privateKey));
    expect(verifyBackupSignature(metadata, rsaSigned, ec.publicKey)).toMatchObject({
      ok: false,
      problem: 'wrong_key',
    });
  });

  it("verifies signatures made by moto's KMS key classes (ECC_NIST_P256 and RSA_2048 PSS)", () => {
    const python = path.join(process.cwd(), '.venv', 'bin', 'python');
    const out = JSON.parse(
      execFileSync(python, [path.join(process.cwd(), 'test', 'helpers', 'moto-kms-sign.py')], {
        input: statement,
      }).toString(),
    ) as Record<'ec' | 'rsa', { sig: string; pub: string }>;
    const ecSig = sigBytes('ECDSA_SHA_256', Buffer.from(out.ec.sig, 'base64'));
    expect(verifyBackupSignature(metadata, ecSig, parsePublicKey(Buffer.from(out.ec.pub, 'base64'))).ok).toBe(
      true,
    );
    const rsaSig = sigBytes('RSASSA_PSS_SHA_256', Buffer.from(out.rsa.sig, 'base64'));
    expect(
      verifyBackupSignature(metadata, rsaSig, parsePublicKey(Buffer.from(out.rsa.pub, 'base64'))).ok,
    ).toBe(true);
    // moto's ECC key is not the RSA key: a signature by one never verifies with the other.
    expect(
      verifyBackupSignature(metadata, ecSig, parsePublicKey(Buffer.from(out.rsa.pub, 'base64'))).ok,
    ).toBe(false);
  });
});

describe('signing statement and algorithm', () => {
  it('signs a statement far under KMS RAW 4096-byte limit whatever the metadata size', () => {
    const huge = Buffer.alloc(1024 * 1024, 'x');
    expect(signedStatement(sha256Hex(huge)).length).toBeLessThan(4096);
    expect(signedStatement(sha256Hex(huge)).toString()).toContain(sha256Hex(huge));
  });

  it('chooses ECDSA_SHA_256 or RSASSA_PSS_SHA_256 from the algorithms a key offers, nothing else', () => {
    expect(chooseAlgorithm(['ECDSA_SHA_256'])).toBe('ECDSA_SHA_256');
    expect(chooseAlgorithm(['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_512'])).toBe(
      'RSASSA_PSS_SHA_256',
    );
    expect(chooseAlgorithm(['ECDSA_SHA_384'])).toBeUndefined();
    expect(chooseAlgorithm([])).toBeUndefined();
  });
});

describe('kmsKeyRegion (KMS answers only in the key region)', () => {
  it('takes the region from a key or alias ARN, none from an id or alias name', () => {
    expect(kmsKeyRegion('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(
      'eu-west-1',
    );
    expect(kmsKeyRegion('arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/standby-backup-signing')).toBe(
      'us-gov-west-1',
    );
    expect(kmsKeyRegion('alias/standby-backup-signing')).toBeUndefined();
    expect(kmsKeyRegion('1234abcd-12ab-34cd-56ef-1234567890ab')).toBeUndefined();
  });
});
