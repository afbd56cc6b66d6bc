import { type _Object as ListedS3Object, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/**
 * Every object under a key prefix, following ListObjectsV2's continuation tokens page after page.
 * `pageSize` is S3's MaxKeys (1000 when not given); tests lower it to walk many pages.
 */
export async function* listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize?: number,
): AsyncGenerator<ListedS3Object> {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: pageSize,
      }),
    );
    yield* page.Contents ?? [];
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
