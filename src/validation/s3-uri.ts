import { InputError, quoted } from './errors.js';
import { parseBucketName, parseKeyPrefix, required } from './primitives.js';

export interface S3Location {
  bucket: string;
  /** Key (or prefix) without leading or trailing slashes; '' for the bucket root. */
  key: string;
}

/** `s3://bucket/key`: a valid bucket name and a key of S3's safe characters with no '.'/'..' segments. */
export function parseS3Uri(input: string, raw: string): S3Location {
  const value = required(input, raw);
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value);
  if (!match) throw new InputError(input, `${quoted(raw)} is not an s3://bucket/key URI`);
  const bucket = parseBucketName(input, match[1] ?? '');
  const key = parseKeyPrefix(input, match[2] ?? '');
  return { bucket, key };
}

export function formatS3Uri(location: S3Location): string {
  return location.key ? `s3://${location.bucket}/${location.key}` : `s3://${location.bucket}`;
}
