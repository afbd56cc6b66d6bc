import { InputError, quoted } from './errors.js';

/** An SNS topic ARN, or '' for "no topic configured" (reported by the caller, not an error). */
export function parseTopicArn(input: string, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!/^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value)) {
    throw new InputError(
      input,
      `${quoted(raw)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`,
    );
  }
  return value;
}

/** Optional JSON object input (details, release metadata): '' is an empty object, anything else must be an object. */
export function parseJsonObject(input: string, raw: string): Record<string, unknown> {
  const value = raw.trim();
  if (value === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${(error as Error).message}); pass a JSON object like {"key":"value"}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(input, 'must be a JSON object like {"key":"value"}');
  }
  return parsed as Record<string, unknown>;
}

/**
 * A free-text label (ticket, subject fragment) that ends up in receipts, subjects and summaries:
 * one line of printable characters, bounded.
 */
export function parseLabel(input: string, raw: string, maxLength = 200): string {
  const value = raw.trim();
  if (value.length > maxLength) throw new InputError(input, `is longer than ${maxLength} characters`);
  if (/\p{Cc}/u.test(value)) throw new InputError(input, 'must be one line without control characters');
  return value;
}
