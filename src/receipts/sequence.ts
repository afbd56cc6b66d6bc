import { joinKey } from '../validation/primitives.js';

/**
 * Sequence claims: how concurrent writers of one execution (teardown and failure in parallel, say) never
 * fork the hash chain. Before a receipt with sequence n is written, its writer claims n by writing
 * `<prefix>/<execution>/.seq/<n>.json` once (If-None-Match, src/aws/s3-write-once.ts). S3 lets exactly one
 * writer create that key; the others get 412, read the winner's claim and try n+1, linking to the
 * winner's receipt. The claim names the receipt it stands for (key and sha256), so the next writer can
 * link to it before that receipt is even stored. Claims are bookkeeping, not receipts: listings of
 * receipts skip the `.seq/` folder.
 */
export const CLAIM_FOLDER = '.seq';
export const CLAIM_SCHEMA = 'standby.sequence-claim/v1';

export interface SequenceClaim {
  sequence: number;
  /** The receipt this sequence number is for, and its exact sha256. */
  key: string;
  sha256: string;
}

export function claimKey(folder: { prefix: string; executionId: string }, sequence: number): string {
  return joinKey(folder.prefix, folder.executionId, CLAIM_FOLDER, `${sequence}.json`);
}

/** The sequence number a claim key names (`.seq/<n>.json` relative to the execution folder), if any. */
export function claimSequence(relativeKey: string): number | undefined {
  const m = /^\.seq\/([1-9][0-9]{0,8})\.json$/.exec(relativeKey);
  return m ? Number(m[1]) : undefined;
}

/** The claim's bytes: deterministic, so a retried write of the same claim is recognised as the same. */
export function claimBody(executionId: string, claim: SequenceClaim): Buffer {
  const { sequence, key, sha256 } = claim;
  return Buffer.from(
    `${JSON.stringify({ schema: CLAIM_SCHEMA, execution_id: executionId, sequence, key, sha256 })}\n`,
  );
}

/**
 * A stored claim, or undefined when it is not one (it is then ignored, never trusted): the fields
 * claimBody writes, with their types (checked by hand, not with zod: the receipt store reads claims, and
 * a phase starts without loading zod).
 */
export function parseClaim(text: string, sequence: number): SequenceClaim | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const claim = value as Record<string, unknown>;
  const valid =
    claim.schema === CLAIM_SCHEMA &&
    typeof claim.execution_id === 'string' &&
    claim.sequence === sequence &&
    typeof claim.key === 'string' &&
    claim.key !== '' &&
    typeof claim.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(claim.sha256);
  return valid ? { sequence, key: claim.key as string, sha256: claim.sha256 as string } : undefined;
}
