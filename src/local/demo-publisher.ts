import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { joinKey } from '../validation/primitives.js';

/** The demo batch publisher the local rehearsal checks: three provider/profile pairs, pointers stale. */
export const DEMO = {
  publishBucket: 'standby-demo-publisher',
  publishPrefix: 'batch',
  receiptBucket: 'standby-demo-receipts',
  pairs: ['acme/daily', 'acme/hourly', 'globex/daily'],
  markerFile: '_SUCCESS',
  runId: 'run-20261119-0400',
  /** How long ago the last good run ended: well past the 26 h default, so DR is needed. */
  staleHours: 54,
};

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

/** Writes the global and per-pair pointers and markers of a publisher whose last run is `staleHours` old. */
export async function seedDemoPublisher(s3: S3Client, now: Date, demo = DEMO): Promise<void> {
  await ensureBucket(s3, demo.publishBucket);
  await ensureBucket(s3, demo.receiptBucket);
  const endedAt = new Date(now.getTime() - demo.staleHours * 3_600_000).toISOString();
  const pointer = JSON.stringify({ run_id: demo.runId, ended_at: endedAt });
  const put = (key: string, body: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: demo.publishBucket,
        Key: joinKey(demo.publishPrefix, key),
        Body: Buffer.from(body),
      }),
    );
  await put('state/last_success.json', pointer);
  for (const pair of demo.pairs) {
    await put(`state/${pair}/last_success.json`, pointer);
    await put(`latest/${pair}/${demo.markerFile}`, '');
  }
}
