import { InputError, quoted } from './errors.js';

/** A KMS key id, ARN, alias name or alias ARN: the characters KMS allows. Empty: undefined. */
export function parseKmsKeyId(input: string, raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9:/_+=.@-]{1,2048}$/.test(value))
    throw new InputError(input, `${quoted(value)} is not a KMS key id, alias or ARN`);
  return value;
}
