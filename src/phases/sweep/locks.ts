import { DeleteItemCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { lockFileKey, lockId } from '../../terraform/runner-contract.js';
import { awsErrorCode } from '../../util/errors.js';
import type { LockInfo } from './decide.js';

/**
 * One lock record as read: Terraform's S3 backend keeps a state's lock in up to two places, the
 * S3-native `<key>.tflock` object (use_lockfile) and the DynamoDB item `LockID = <bucket>/<key>`.
 * Each keeps what identifies the exact record read (the item's raw Info, the object's ETag), so it is
 * cleared only if it is still that record.
 */
export type LockRecord =
  | { store: 'dynamodb'; stateKey: string; info: LockInfo; raw: string | undefined }
  | { store: 's3'; stateKey: string; info: LockInfo; etag: string | undefined };

export interface LockStore {
  s3: S3Client;
  dynamo: DynamoDBClient;
  bucket: string;
  table: string;
}

function parseInfo(text: string): LockInfo {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as LockInfo) : {};
  } catch {
    return {};
  }
}

/** The lock records held on one state (none when it is not locked). The -md5 digest item is not a lock. */
export async function readLocks(store: LockStore, stateKey: string): Promise<LockRecord[]> {
  const records: LockRecord[] = [];
  const item = await store.dynamo.send(
    new GetItemCommand({
      TableName: store.table,
      Key: { LockID: { S: lockId(store.bucket, stateKey) } },
      ConsistentRead: true,
    }),
  );
  if (item.Item) {
    const raw = item.Item.Info?.S;
    records.push({ store: 'dynamodb', stateKey, info: parseInfo(raw ?? ''), raw });
  }
  try {
    const answer = await store.s3.send(
      new GetObjectCommand({ Bucket: store.bucket, Key: lockFileKey(stateKey) }),
    );
    const body = (await answer.Body?.transformToString('utf8')) ?? '';
    records.push({ store: 's3', stateKey, info: parseInfo(body), etag: answer.ETag });
  } catch (error) {
    if (awsErrorCode(error).name !== 'NoSuchKey') throw error;
  }
  return records;
}

export type ClearOutcome = 'cleared' | 'changed' | 'gone';

/**
 * Clears one stale lock record, only if it is still exactly the record read: DynamoDB DeleteItem with
 * a condition on the Info read (AWS: "Condition expressions", DynamoDB Developer Guide); S3 DeleteObject
 * with If-Match on the ETag read (AWS: "How to perform conditional deletes", S3 User Guide). A lock a
 * new holder took in between fails the condition and is left alone ('changed').
 */
export async function clearLock(store: LockStore, record: LockRecord): Promise<ClearOutcome> {
  try {
    if (record.store === 'dynamodb') {
      await store.dynamo.send(
        new DeleteItemCommand({
          TableName: store.table,
          Key: { LockID: { S: lockId(store.bucket, record.stateKey) } },
          ...(record.raw === undefined
            ? { ConditionExpression: 'attribute_exists(LockID) AND attribute_not_exists(Info)' }
            : {
                ConditionExpression: 'Info = :info',
                ExpressionAttributeValues: { ':info': { S: record.raw } },
              }),
        }),
      );
      return 'cleared';
    }
    // Without the ETag read there is nothing to make the delete conditional on: not deleted.
    if (!record.etag) return 'changed';
    await store.s3.send(
      new DeleteObjectCommand({
        Bucket: store.bucket,
        Key: lockFileKey(record.stateKey),
        IfMatch: record.etag,
      }),
    );
    return 'cleared';
  } catch (error) {
    const { name, status } = awsErrorCode(error);
    if (name === 'ConditionalCheckFailedException' || name === 'PreconditionFailed' || status === 412)
      return 'changed';
    // S3: a concurrent write or delete raced the conditional delete.
    if (name === 'ConditionalRequestConflict' || status === 409) return 'changed';
    if (name === 'NoSuchKey' || status === 404) return 'gone';
    throw error;
  }
}
