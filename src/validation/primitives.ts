import { InputError, quoted } from './errors.js';

/**
 * Strict boolean, the YAML 1.2 core schema grammar @actions/core's getBooleanInput accepts (true, True,
 * TRUE, false, False, FALSE), or empty for the default. "no", "0", "off", "tRuE" are errors, not false.
 * Pure, so the CLI's flags and an action's inputs share it; test/io/boolean-input.test.ts holds it to
 * getBooleanInput case by case.
 */
export function parseBoolean(input: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim();
  if (value === '') return fallback;
  if (BOOLEAN_WORDS.true.includes(value)) return true;
  if (BOOLEAN_WORDS.false.includes(value)) return false;
  throw new InputError(input, `expected true or false, got ${quoted(raw)}`);
}

const BOOLEAN_WORDS = { true: ['true', 'True', 'TRUE'], false: ['false', 'False', 'FALSE'] };

/** A finite number within [min, max]. Rejects "12h", "1e400", "" (unless a fallback is given). */
export function parseNumber(
  input: string,
  raw: string,
  opts: { fallback?: number; min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = raw.trim();
  if (value === '') {
    if (opts.fallback !== undefined) return opts.fallback;
    throw new InputError(input, 'a number is required');
  }
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new InputError(input, `expected a number, got ${quoted(raw)}`);
  const n = Number(value);
  if (opts.integer && !Number.isInteger(n))
    throw new InputError(input, `expected a whole number, got ${quoted(raw)}`);
  if (opts.min !== undefined && n < opts.min)
    throw new InputError(input, `must be at least ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max)
    throw new InputError(input, `must be at most ${opts.max}, got ${n}`);
  return n;
}

export function required(input: string, raw: string): string {
  const value = raw.trim();
  if (value === '') throw new InputError(input, 'is required');
  return value;
}

/**
 * S3's naming rules for general purpose buckets (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3-63 of a-z 0-9 . -, a letter or digit at each end, no '..', not an IP address, none of the reserved
 * prefixes and suffixes. The same rules as restore.sh and the Terraform variables (test/fixtures/backup-uri-cases.json).
 */
export function parseBucketName(input: string, raw: string): string {
  const value = required(input, raw);
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) &&
    !value.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(value) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(value) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(value);
  if (!ok) {
    throw new InputError(
      input,
      `${quoted(raw)} is not a valid S3 bucket name (3-63 lowercase letters, digits, '.' and '-'; not an IP address, no reserved prefix such as xn-- or suffix such as -s3alias)`,
    );
  }
  return value;
}

/**
 * An S3 key prefix made of S3's "safe characters", without leading/trailing slashes, empty or '..' segments.
 * Returns '' for the bucket root.
 */
export function parseKeyPrefix(input: string, raw: string): string {
  const value = raw.trim().replace(/^\/+|\/+$/g, '');
  if (value === '') return '';
  if (!/^[A-Za-z0-9!_.*'()/-]+$/.test(value)) {
    throw new InputError(input, `${quoted(raw)} has characters outside A-Z a-z 0-9 ! _ . * ' ( ) - /`);
  }
  if (value.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InputError(input, `${quoted(raw)} has an empty, '.' or '..' path segment`);
  }
  return value;
}

/** Joins key parts, skipping empty ones: joinKey('', 'state', 'x.json') === 'state/x.json'. */
export function joinKey(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** Execution ids name receipt folders, so they use only [A-Za-z0-9._-] (docs/receipts.md). */
export function parseExecutionId(input: string, raw: string): string {
  const value = required(input, raw);
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(value) || /^\.+$/.test(value)) {
    throw new InputError(input, `${quoted(raw)} may use only A-Z a-z 0-9 . _ - (1-128 characters)`);
  }
  return value;
}

export function parseAccountId(input: string, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!/^\d{12}$/.test(value)) throw new InputError(input, `${quoted(raw)} is not a 12-digit AWS account id`);
  return value;
}

/** An optional AWS region code (us-east-1, us-gov-west-1, ...); '' when not given. */
export function parseOptionalRegion(input: string, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value))
    throw new InputError(input, `${quoted(raw)} is not an AWS region code such as us-east-1`);
  return value;
}

/** A list given one item per line or comma-separated (the way workflow inputs are usually written). */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}
