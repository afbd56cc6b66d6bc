import { DescribeKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  type BackupSignature,
  chooseAlgorithm,
  type SigningAlgorithm,
  sha256Hex,
  signatureObject,
  signedStatement,
} from '../backup/signature.js';
import { kmsKeyRegion } from '../validation/kms-key.js';
import type { AwsClients } from './clients.js';

/**
 * The KMS side of signed backups (issue 23.5). Imported only when a signing or verification key is
 * configured, so a backup or restore without one never loads the KMS client. The client for a key ARN
 * talks to the ARN's region (src/validation/kms-key.ts).
 */
export function kmsClient(aws: AwsClients, keyId: string): KMSClient {
  const region = kmsKeyRegion(keyId);
  return aws.client(
    `kms:${region ?? ''}`,
    (config) => new KMSClient(region ? { ...config, region } : config),
  );
}

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export interface SigningKey {
  keyArn: string;
  algorithm: SigningAlgorithm;
}

/**
 * Checks the key before any upload (DescribeKey): enabled, SIGN_VERIFY, and offering ECDSA_SHA_256 or
 * RSASSA_PSS_SHA_256. A key that cannot sign stops the backup before it writes anything.
 */
export async function signingKey(kms: KMSClient, keyId: string): Promise<SigningKey> {
  const { KeyMetadata: key } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  if (!key?.Arn) throw new SigningKeyError(`KMS key ${keyId}: DescribeKey returned no key`);
  if (key.KeyUsage !== 'SIGN_VERIFY' || key.Enabled === false)
    throw new SigningKeyError(
      `KMS key ${keyId} is ${key.Enabled === false ? 'disabled' : `for ${key.KeyUsage}`}: signing needs an enabled SIGN_VERIFY key`,
    );
  const algorithm = chooseAlgorithm(key.SigningAlgorithms ?? []);
  if (!algorithm)
    throw new SigningKeyError(
      `KMS key ${keyId} (${key.KeySpec}) offers ${key.SigningAlgorithms?.join(', ') || 'no algorithm'}: use an ECC_NIST_P256 or RSA key (ECDSA_SHA_256 or RSASSA_PSS_SHA_256)`,
    );
  return { keyArn: key.Arn, algorithm };
}

/** Signs the statement for these metadata.json bytes (RAW: it is under 4096 bytes, see signature.ts). */
export async function signMetadata(
  kms: KMSClient,
  key: SigningKey,
  metadataBytes: Uint8Array,
): Promise<BackupSignature> {
  const signed = await kms.send(
    new SignCommand({
      KeyId: key.keyArn,
      Message: signedStatement(sha256Hex(metadataBytes)),
      MessageType: 'RAW',
      SigningAlgorithm: key.algorithm,
    }),
  );
  if (!signed.Signature) throw new SigningKeyError(`KMS Sign with ${key.keyArn} returned no signature`);
  return signatureObject(metadataBytes, signed.KeyId ?? key.keyArn, key.algorithm, signed.Signature);
}

/** The key's public half (DER SubjectPublicKeyInfo), fetched once: every backup is then checked locally. */
export async function publicKeyOf(kms: KMSClient, keyId: string): Promise<Uint8Array> {
  const got = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (got.KeyUsage && got.KeyUsage !== 'SIGN_VERIFY')
    throw new SigningKeyError(`KMS key ${keyId} is for ${got.KeyUsage}, not SIGN_VERIFY`);
  if (!got.PublicKey) throw new SigningKeyError(`KMS GetPublicKey for ${keyId} returned no key`);
  return got.PublicKey;
}
