import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import type { RunListing } from './divergence.js';

/**
 * Every object under a run prefix (all ListObjectsV2 pages), keyed relative to the prefix. `pageSize`
 * is S3's MaxKeys (at most 1000 by default); tests lower it to walk many pages.
 */
export async function listRun(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize?: number,
): Promise<RunListing> {
  const listing: RunListing = new Map();
  for await (const object of listObjects(s3, bucket, prefix, pageSize)) {
    if (!object.Key) continue;
    listing.set(object.Key.slice(prefix.length), { size: object.Size ?? 0, etag: object.ETag ?? '' });
  }
  return listing;
}
