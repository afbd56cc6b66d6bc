import { parseBucketName, parseKeyPrefix } from '../validation/primitives.js';

/** The receipt bucket and key prefix a command reads, from its --receipt-bucket and --receipt-prefix. */
export function parseReceiptFolder(flags: { receiptBucket?: string; receiptPrefix: string }): {
  bucket: string;
  prefix: string;
} {
  return {
    bucket: parseBucketName('--receipt-bucket', flags.receiptBucket ?? ''),
    prefix: parseKeyPrefix('--receipt-prefix', flags.receiptPrefix),
  };
}
