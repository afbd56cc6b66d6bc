import { InputError, quoted } from './errors.js';

/**
 * A publisher run id as pointers name it (`run_id`). It is spliced into S3 keys (the run prefix
 * template), so it is limited to characters that are safe in a key segment and cannot climb out of it.
 */
export function parseRunId(input: string, raw: string): string {
  const value = raw.trim();
  if (value === '') throw new InputError(input, 'is required (the run_id as the pointers name it)');
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(value) || /^\.+$/.test(value)) {
    throw new InputError(input, `${quoted(raw)} may use only A-Z a-z 0-9 . _ : - (1-128 characters)`);
  }
  return value;
}
