import { createPublicKey, type KeyObject } from 'node:crypto';

/** A public key as PEM text (`--public-key` file) or DER SubjectPublicKeyInfo (KMS GetPublicKey). */
export function parsePublicKey(key: string | Uint8Array): KeyObject {
  return typeof key === 'string'
    ? createPublicKey(key)
    : createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
}
