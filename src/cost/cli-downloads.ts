import type { S3Reads } from './usage.js';

/**
 * `aws s3 cp` of one object to a file: a HeadObject for its size, then one GetObject, or ranged GETs of
 * multipart_chunksize once the object reaches multipart_threshold (both 8 MB by default,
 * https://docs.aws.amazon.com/cli/latest/topic/s3-config.md). restore.sh sets neither, so these defaults hold.
 */
export const CLI_MULTIPART_BYTES = 8 * 1024 * 1024;

/** The S3 reads behind restore.sh's downloads (the bytes of each object it fetched), as the CLI makes them. */
export function s3ReadsOfCliDownloads(sizes: number[]): S3Reads {
  let gets = 0;
  for (const size of sizes) gets += size >= CLI_MULTIPART_BYTES ? Math.ceil(size / CLI_MULTIPART_BYTES) : 1;
  return {
    get_requests: gets,
    head_requests: sizes.length,
    list_requests: 0,
    bytes: sizes.reduce((sum, size) => sum + size, 0),
  };
}
