import { InputError, quoted } from './errors.js';
import { required } from './primitives.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes DNS-1123 label (namespaces, CronJob and Job names): lowercase letters, digits and '-',
 * starting and ending alphanumeric. Anything else ("jobintel; rm -rf /") is refused before it can reach
 * a runner, where it only ever travels as a value anyway.
 */
export function parseDnsLabel(input: string, raw: string, maxLength = 63): string {
  const value = required(input, raw);
  if (value.length > maxLength || !LABEL.test(value)) {
    throw new InputError(
      input,
      `${quoted(raw)} is not a DNS-1123 name (lowercase a-z, 0-9 and '-', starting and ending with a letter or digit, at most ${maxLength} characters)`,
    );
  }
  return value;
}

/** CronJob names are labels of at most 52 characters (Kubernetes appends an 11-character suffix to Jobs). */
export const CRONJOB_NAME_MAX = 52;
