import { InputError, quoted } from './errors.js';

/** A KMS key id, ARN, alias name or alias ARN: the characters KMS allows. Empty: undefined. */
export function parseKmsKeyId(input: string, raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9:/_+=.@-]{1,2048}$/.test(value))
    throw new InputError(input, `${quoted(value)} is not a KMS key id, alias or ARN`);
  return value;
}

/**
 * The region a key ARN (key or alias) names, else undefined (a key id or alias name is looked up in the
 * client's own region). KMS answers only in the key's region, so a producer in the primary region signs
 * with a DR-region key by sending that call there.
 */
export function kmsKeyRegion(keyId: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:/.exec(keyId)?.[1];
}
