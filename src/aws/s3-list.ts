import { type _Object as ListedS3Object, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

/**
 * Every object under a key prefix, page after page, by the SDK's own ListObjectsV2 paginator (it follows
 * the continuation tokens). `pageSize` is S3's MaxKeys (1000 when not given); tests lower it to walk
 * many pages.
 */
export async function* listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize?: number,
): AsyncGenerator<ListedS3Object> {
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize },
    { Bucket: bucket, Prefix: prefix },
  ))
    yield* page.Contents ?? [];
}
