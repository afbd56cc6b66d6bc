import { z } from 'zod';

/** Field types several phases' output schemas share (JSON values a later phase or a reader parses). */
export const json = z.unknown();
export const jsonArray = z.array(z.unknown());
export const jsonObject = z.record(z.string(), z.unknown());
/** A number, or '' when it is not known (action outputs are strings; '' reads as "unknown"). */
export const numberOrEmpty = z.union([z.number(), z.literal('')]);
export const stringList = z.array(z.string());
/** S3 reads a phase made (src/aws/s3-read-meter.ts), summed into the drill's cost (src/cost/usage.ts). */
const count = z.number().int().min(0);
export const s3Reads = z.object({
  get_requests: count,
  head_requests: count,
  list_requests: count,
  bytes: count,
});
