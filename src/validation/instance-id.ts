import { InputError, quoted } from './errors.js';
import { required } from './primitives.js';

/** An EC2 instance id: i- followed by 8 or 17 lowercase hex characters. */
export function parseInstanceId(input: string, raw: string): string {
  const value = required(input, raw);
  if (!/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(value)) {
    throw new InputError(
      input,
      `${quoted(raw)} is not an EC2 instance id (i- and 8 or 17 hex characters); take it from resolve-runner's instance-id output`,
    );
  }
  return value;
}
