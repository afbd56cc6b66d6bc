import type { KeyObject } from 'node:crypto';
import type { AwsClients } from '../aws/clients.js';
import { InputError } from '../validation/errors.js';
import { parseKmsKeyId } from '../validation/kms-key.js';
import { parsePublicKey } from './public-key.js';

/** What verifies metadata.json.sig: a KMS key (its public half, GetPublicKey) or a PEM public key. */
export type VerifyKey = { kind: 'kms'; keyId: string } | { kind: 'pem'; pem: string };

/** `verify-key`: PEM text (`-----BEGIN PUBLIC KEY-----`), else a KMS key id, ARN or alias; empty: none. */
export function parseVerifyKey(input: string, raw: string): VerifyKey | undefined {
  const value = raw.trim();
  if (value.startsWith('-----BEGIN')) {
    try {
      parsePublicKey(value);
    } catch (error) {
      throw new InputError(input, `is not a PEM public key: ${(error as Error).message}`);
    }
    return { kind: 'pem', pem: value };
  }
  const keyId = parseKmsKeyId(input, value);
  return keyId ? { kind: 'kms', keyId } : undefined;
}

/**
 * The public key every candidate is checked with, resolved once: a KMS key's public half is fetched with
 * one GetPublicKey (the KMS client is loaded only here), then each backup is verified locally.
 */
export async function resolveVerifyKey(key: VerifyKey, aws: AwsClients): Promise<KeyObject> {
  if (key.kind === 'pem') return parsePublicKey(key.pem);
  const { kmsClient, publicKeyOf } = await import('../aws/kms-signing.js');
  return parsePublicKey(await publicKeyOf(kmsClient(aws, key.keyId), key.keyId));
}
