import { DeleteItemCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { lockFileKey, lockId } from '../../terraform/runner-contract.js';
import { awsErrorCode } from '../../util/errors.js';
import type { LockInfo } from './decide.js';

/** A state's lock as Terraform's S3 backend keeps it: the .tflock object and the DynamoDB LockID item. */
export interface HeldLock {
  stateKey: string;
  file?: LockInfo;
  item?: { info: LockInfo; raw: string };
}

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

/** The lock on one state, or undefined when neither lock is held. (The -md5 digest item is not a lock.) */
export async function readLock(store: LockStore, stateKey: string): Promise<HeldLock | undefined> {
  const held: HeldLock = { stateKey };
  try {
    const answer = await store.s3.send(
      new GetObjectCommand({ Bucket: store.bucket, Key: lockFileKey(stateKey) }),
    );
    held.file = parseInfo((await answer.Body?.transformToString('utf8')) ?? '');
  } catch (error) {
    if (awsErrorCode(error).name !== 'NoSuchKey') throw error;
  }
  const item = await store.dynamo.send(
    new GetItemCommand({
      TableName: store.table,
      Key: { LockID: { S: lockId(store.bucket, stateKey) } },
      ConsistentRead: true,
    }),
  );
  const raw = item.Item?.Info?.S;
  if (item.Item) held.item = { info: parseInfo(raw ?? ''), raw: raw ?? '' };
  return held.file || held.item ? held : undefined;
}

/** The lock's own info, whichever of the two places holds it. */
export const lockInfoOf = (lock: HeldLock): LockInfo => lock.item?.info ?? lock.file ?? {};

/**
 * Clears a stale lock. The DynamoDB item is deleted only if it is still the lock that was judged stale
 * (a condition on its Info), so a lock a new run took meanwhile is left alone.
 */
export async function clearLock(store: LockStore, lock: HeldLock): Promise<void> {
  if (lock.item) {
    await store.dynamo.send(
      new DeleteItemCommand({
        TableName: store.table,
        Key: { LockID: { S: lockId(store.bucket, lock.stateKey) } },
        ...(lock.item.raw
          ? {
              ConditionExpression: 'Info = :info',
              ExpressionAttributeValues: { ':info': { S: lock.item.raw } },
            }
          : {}),
      }),
    );
  }
  if (lock.file)
    await store.s3.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: lockFileKey(lock.stateKey) }));
}
