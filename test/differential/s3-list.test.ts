import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { listObjects } from '../../src/aws/s3-list.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { useEmulator } from '../helpers/emulator.js';

useEmulator();

/**
 * listObjects is the SDK's paginateListObjectsV2; the continuation-token loop it replaced is kept here
 * as the reference, and both walk the same pages on the emulator (real S3 wire protocol).
 */
async function handWritten(aws: AwsClients, bucket: string, prefix: string, pageSize: number) {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await aws.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: pageSize,
      }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key as string);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

describe('S3 listing: the SDK paginator against the hand-written loop', () => {
  it('lists every key under the prefix across pages, in the same order', async () => {
    const aws = new AwsClients();
    const bucket = 'standby-list-diff';
    await ensureBucket(aws.s3, bucket);
    const keys = ['b/1', 'b/2', 'b/3', 'b/10', 'b/sub/x', 'b/ü', 'b/z', 'c/outside', 'bb/outside'];
    for (const Key of keys) await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    const first = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'b/', MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    const listed: string[] = [];
    for await (const object of listObjects(aws.s3, bucket, 'b/', 2)) listed.push(object.Key as string);
    expect(listed).toEqual(await handWritten(aws, bucket, 'b/', 2));
    expect(listed.sort()).toEqual(keys.filter((k) => k.startsWith('b/')).sort());
    const all: string[] = [];
    for await (const object of listObjects(aws.s3, bucket, '')) all.push(object.Key as string);
    expect(all).toHaveLength(keys.length);
  });
});
