import { constants, createHash, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';
import {
  SIGNATURE_FORMAT,
  SIGNATURE_OBJECT,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from './signature-names.js';

/**
 * metadata.json.sig: the signature of a backup's metadata.json (which pins every artifact's sha256), made
 * by an asymmetric KMS key (issue 23.5). One verify function, node:crypto against the key's public half,
 * serves both restore-precheck (public key fetched once with GetPublicKey) and the offline
 * `standby backup verify --public-key` check, so neither needs kms:Verify per backup.
 *
 * What is signed is the short statement signedStatement() builds from metadata.json's sha256, with
 * MessageType RAW: KMS Sign takes a RAW message of at most 4096 bytes (a metadata.json can be larger), or
 * a DIGEST (https://docs.aws.amazon.com/goto/aws-cli/kms-2014-11-01/Sign). DIGEST is not used because the
 * emulator's KMS (moto 5.2) ignores MessageType and hashes the digest again, so a test there would prove
 * nothing about AWS; the statement is under 4096 bytes whatever the metadata size and behaves the same on
 * both. ECDSA_SHA_256 signatures are DER-encoded (KMS and node agree); RSASSA_PSS_SHA_256 is checked with
 * any salt length (KMS uses the digest length).
 */
export { SIGNATURE_FORMAT, SIGNATURE_OBJECT, SIGNING_ALGORITHMS, type SigningAlgorithm };

const SignatureSchema = z.object({
  format: z.literal(SIGNATURE_FORMAT),
  key_id: z.string().min(1),
  algorithm: z.enum(SIGNING_ALGORITHMS),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
  metadata_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters'),
});
export type BackupSignature = z.infer<typeof SignatureSchema>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes KMS signs (RAW) for a metadata.json with this sha256: under 100 bytes, whatever its size. */
export function signedStatement(metadataSha256: string): Buffer {
  return Buffer.from(`${SIGNATURE_FORMAT}\nmetadata.json sha256 ${metadataSha256}\n`);
}

/** The algorithm to sign with, of those a KMS key offers (DescribeKey's SigningAlgorithms). */
export function chooseAlgorithm(offered: readonly string[]): SigningAlgorithm | undefined {
  return SIGNING_ALGORITHMS.find((algorithm) => offered.includes(algorithm));
}

/** The object written beside metadata.json once KMS signed signedStatement() of `metadataBytes`. */
export function signatureObject(
  metadataBytes: Uint8Array,
  keyId: string,
  algorithm: SigningAlgorithm,
  signature: Uint8Array,
): BackupSignature {
  return {
    format: SIGNATURE_FORMAT,
    key_id: keyId,
    algorithm,
    signature: Buffer.from(signature).toString('base64'),
    metadata_sha256: sha256Hex(metadataBytes),
  };
}

// Lives in public-key.ts (no zod), so restore-precheck's input parser can check a PEM key without zod.
export { parsePublicKey } from './public-key.js';

export type SignatureVerdict =
  | { ok: true; signature: BackupSignature }
  | { ok: false; problem: 'unsigned' | 'malformed' | 'altered' | 'wrong_key'; detail: string };

/**
 * Whether `signatureBytes` (the stored metadata.json.sig, undefined when there is none) proves that
 * `metadataBytes` were signed by the private half of `publicKey`. Fails closed: anything not proven is a
 * refusal with the reason a reviewer needs.
 */
export function verifyBackupSignature(
  metadataBytes: Uint8Array,
  signatureBytes: Uint8Array | undefined,
  publicKey: KeyObject,
): SignatureVerdict {
  if (signatureBytes === undefined) {
    return { ok: false, problem: 'unsigned', detail: `no ${SIGNATURE_OBJECT} beside metadata.json` };
  }
  let parsed: BackupSignature;
  try {
    const result = SignatureSchema.safeParse(JSON.parse(Buffer.from(signatureBytes).toString('utf8')));
    if (!result.success) {
      const issue = result.error.issues[0];
      return {
        ok: false,
        problem: 'malformed',
        detail: `${issue?.path.join('.') || SIGNATURE_OBJECT}: ${issue?.message}`,
      };
    }
    parsed = result.data;
  } catch {
    return { ok: false, problem: 'malformed', detail: `${SIGNATURE_OBJECT} is not JSON` };
  }
  const actual = sha256Hex(metadataBytes);
  if (actual !== parsed.metadata_sha256) {
    return {
      ok: false,
      problem: 'altered',
      detail: `metadata.json sha256 ${actual} is not the signed ${parsed.metadata_sha256}`,
    };
  }
  const keyType = publicKey.asymmetricKeyType;
  const fits = parsed.algorithm === 'ECDSA_SHA_256' ? keyType === 'ec' : keyType === 'rsa';
  if (!fits) {
    return {
      ok: false,
      problem: 'wrong_key',
      detail: `signed with ${parsed.algorithm}, but the verification key is ${keyType ?? 'unknown'}`,
    };
  }
  const signature = Buffer.from(parsed.signature, 'base64');
  const key =
    parsed.algorithm === 'RSASSA_PSS_SHA_256'
      ? {
          key: publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_AUTO,
        }
      : publicKey;
  let valid = false;
  try {
    valid = verify('sha256', signedStatement(actual), key, signature);
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true, signature: parsed }
    : {
        ok: false,
        problem: 'wrong_key',
        detail: `the signature (key ${parsed.key_id}) does not verify with the configured public key`,
      };
}
