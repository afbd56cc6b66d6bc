import { createHash } from 'node:crypto';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import { putJsonOnce } from '../aws/s3-write-once.js';
import { executionReceiptPrefix } from '../targets/receipts.js';
import { awsErrorCode } from '../util/errors.js';
import { joinKey } from '../validation/primitives.js';
import type { Receipt } from './envelope.js';
import type { PhaseName } from './phase-names.js';
import { sanitize, sanitizeRecord } from './sanitize.js';
import { claimBody, claimKey, claimSequence, parseClaim, type SequenceClaim } from './sequence.js';

export interface ReceiptLocation {
  bucket: string;
  prefix: string;
  executionId: string;
}

export interface StoredReceipt {
  key: string;
  uri: string;
  sha256: string;
  bytes: number;
  body: Buffer;
  /** Undefined when the object is not a valid receipt; `problem` says why. */
  receipt?: Receipt;
  problem?: string;
}

/** One entry of ListObjectVersions for a receipt key: an object version or a delete marker. */
export interface ReceiptVersion {
  key: string;
  versionId: string;
  latest: boolean;
  lastModified: string | null;
  bytes: number | null;
  deleteMarker: boolean;
}

/** The fields a phase decides; the store fills in attempt, sequence and the link to the previous receipt. */
export type ReceiptDraft = Omit<Receipt, 'attempt' | 'sequence' | 'previous'>;

const MAX_ATTEMPTS = 50;

/**
 * The envelope's zod schema, loaded when the store first reads or writes a receipt, not as it is made:
 * a phase starts (and its account guard runs) without loading zod.
 */
type Envelope = Pick<typeof import('./envelope.js'), 'ReceiptSchema' | 'serializeReceipt'>;
const loadEnvelope = (): Promise<Envelope> => import('./envelope.js');

/** `<exec>/<phase>.json` for the first attempt, `<exec>/<phase>.attempt-N.json` after (docs/receipts.md). */
export function receiptKey(location: ReceiptLocation, phase: PhaseName, attempt: number): string {
  const file = attempt === 1 ? `${phase}.json` : `${phase}.attempt-${attempt}.json`;
  return joinKey(location.prefix, location.executionId, file);
}

export function parseReceiptFileName(file: string): { phase: string; attempt: number } | undefined {
  const m = /^([a-z-]+?)(?:\.attempt-(\d+))?\.json$/.exec(file);
  return m ? { phase: m[1] as string, attempt: m[2] ? Number(m[2]) : 1 } : undefined;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Latest receipt in the chain: the highest sequence among valid receipts. */
export function chainHead(receipts: StoredReceipt[]): StoredReceipt | undefined {
  return receipts
    .filter((r) => r.receipt)
    .reduce<StoredReceipt | undefined>(
      (head, r) => (!head || (r.receipt?.sequence ?? 0) > (head.receipt?.sequence ?? 0) ? r : head),
      undefined,
    );
}

function highestAttempt(receipts: StoredReceipt[], phase: PhaseName): number {
  return receipts
    .map((r) => parseReceiptFileName(r.key.split('/').pop() ?? ''))
    .filter((name) => name?.phase === phase)
    .reduce((max, name) => Math.max(max, name?.attempt ?? 0), 0);
}

/**
 * Receipts in S3, written once each. A conditional write (If-None-Match: *) means an existing object is
 * never replaced: when the key is taken, the next attempt number is tried instead.
 */
export class S3ReceiptStore {
  constructor(
    private readonly s3: S3Client,
    readonly location: ReceiptLocation,
  ) {}

  uri(key: string): string {
    return `s3://${this.location.bucket}/${key}`;
  }

  /**
   * Another execution's receipts in the same bucket (read-only use: the sweeper's serving check), in that
   * execution's target folder under this store's prefix (src/targets/receipts.ts: `alarm-orders-8` lives
   * in `<prefix>/targets/orders`).
   */
  forExecution(executionId: string): S3ReceiptStore {
    const prefix = executionReceiptPrefix(this.location.prefix, executionId);
    return new S3ReceiptStore(this.s3, { ...this.location, prefix, executionId });
  }

  async list(): Promise<StoredReceipt[]> {
    return (await this.survey()).receipts;
  }

  /**
   * One listing of the execution's folder: its receipts (read) and the sequence numbers claimed under
   * `.seq/` (src/receipts/sequence.ts; only their numbers, nothing is read). Receipts are the objects
   * directly in the folder whose names parse as receipt files; the `.seq/` claims are never receipts.
   */
  private async survey(): Promise<{ receipts: StoredReceipt[]; claimed: number[] }> {
    const folder = `${joinKey(this.location.prefix, this.location.executionId)}/`;
    const keys: string[] = [];
    const claimed: number[] = [];
    for await (const object of listObjects(this.s3, this.location.bucket, folder)) {
      const name = object.Key?.slice(folder.length) ?? '';
      const sequence = claimSequence(name);
      if (sequence !== undefined) claimed.push(sequence);
      else if (!name.includes('/') && parseReceiptFileName(name)) keys.push(object.Key as string);
    }
    return { receipts: await Promise.all(keys.sort().map((key) => this.read(key))), claimed };
  }

  /**
   * The claims a writer must take into account: those above the receipts' head (their receipts may not
   * be stored yet). Claims that do not parse are left out: their numbers still count as taken.
   */
  private async claimsAbove(head: number, claimed: number[]): Promise<SequenceClaim[]> {
    const open = claimed.filter((n) => n > head);
    const read = await Promise.all(
      open.map(async (n) => {
        const key = claimKey(this.location, n);
        const text = await this.read(key).then(
          (stored) => stored.body.toString('utf8'),
          (error: unknown) => {
            if (awsErrorCode(error).name === 'NoSuchKey') return '';
            throw error;
          },
        );
        return parseClaim(text, n);
      }),
    );
    return read.filter((claim): claim is SequenceClaim => claim !== undefined);
  }

  /** `Enabled`, `Suspended`, or `Disabled` (GetBucketVersioning has no Status when it was never enabled). */
  async versioning(): Promise<'Enabled' | 'Suspended' | 'Disabled'> {
    const answer = await this.s3.send(new GetBucketVersioningCommand({ Bucket: this.location.bucket }));
    return answer.Status === 'Enabled' || answer.Status === 'Suspended' ? answer.Status : 'Disabled';
  }

  /** Every version and delete marker of the execution's receipt keys (ListObjectVersions, all pages). */
  async listVersions(): Promise<ReceiptVersion[]> {
    const folder = `${joinKey(this.location.prefix, this.location.executionId)}/`;
    const versions: ReceiptVersion[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.location.bucket,
          Prefix: folder,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      const entries = [
        ...(page.Versions ?? []).map((v) => ({ ...v, deleteMarker: false, size: v.Size })),
        ...(page.DeleteMarkers ?? []).map((m) => ({ ...m, deleteMarker: true, size: undefined })),
      ];
      for (const entry of entries) {
        const name = entry.Key?.slice(folder.length) ?? '';
        if (name.includes('/') || !parseReceiptFileName(name)) continue;
        versions.push({
          key: entry.Key as string,
          versionId: entry.VersionId ?? 'null',
          latest: entry.IsLatest ?? false,
          lastModified: entry.LastModified?.toISOString() ?? null,
          bytes: entry.size ?? null,
          deleteMarker: entry.deleteMarker,
        });
      }
      if (!page.IsTruncated) return versions;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
  }

  async read(key: string): Promise<StoredReceipt> {
    const { ReceiptSchema } = await loadEnvelope();
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
    const body = Buffer.from(
      await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    const stored: StoredReceipt = {
      key,
      uri: this.uri(key),
      sha256: sha256Hex(body),
      bytes: body.length,
      body,
    };
    try {
      const parsed = ReceiptSchema.safeParse(JSON.parse(body.toString('utf8')));
      if (parsed.success) stored.receipt = parsed.data;
      else
        stored.problem = `not a valid receipt: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    } catch {
      stored.problem = 'not valid JSON';
    }
    return stored;
  }

  /**
   * Writes the next receipt of the chain. Everything recorded goes through the one sanitiser first
   * (inputs, outputs, error, source), so no caller can put a secret into S3.
   *
   * Concurrent writers of one execution never fork the chain: the sequence number is claimed first with
   * a write-once object (src/receipts/sequence.ts). Whoever loses a claim plans again, after the winner.
   */
  async write(draft: ReceiptDraft): Promise<StoredReceipt> {
    const clean = sanitizeDraft(draft);
    const envelope = await loadEnvelope();
    let lastTried = 0;
    for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
      const { receipts, claimed } = await this.survey();
      const claims = await this.claimsAbove(chainHead(receipts)?.receipt?.sequence ?? 0, claimed);
      const planned = planWrite(this.location, clean, { receipts, claims, claimed }, lastTried, envelope);
      if (!(await this.claim(planned))) {
        // Another writer took this number: a short random pause spreads the herd before planning again.
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * Math.min(tries + 1, 5)));
        continue;
      }
      const written = await this.putOnce(planned);
      if (written) return written;
      // The receipt key was taken by a writer that claims nothing (not this code): the next attempt
      // number, under a new sequence number. The claim left behind names an object that is no receipt
      // of this chain, which evidence check reports.
      lastTried = planned.receipt.attempt;
    }
    throw new Error(`could not write the ${draft.phase} receipt after ${MAX_ATTEMPTS} tries`);
  }

  /** Claims the planned receipt's sequence number; false when another writer holds it. */
  private async claim(planned: PlannedWrite): Promise<boolean> {
    const sequence = planned.receipt.sequence;
    const key = claimKey(this.location, sequence);
    const body = claimBody(this.location.executionId, {
      sequence,
      key: planned.key,
      sha256: sha256Hex(planned.body),
    });
    const claimed = await putJsonOnce(this.s3, { bucket: this.location.bucket, key }, body);
    return claimed.result.kind !== 'taken';
  }

  /**
   * One write-once PUT (src/aws/s3-write-once.ts). A 412 is not necessarily someone else's object: when
   * S3 stored ours and the response was lost, the SDK's retry gets 412 for our own object, which the
   * helper recognises by its content (the write is done). Another writer's object leaves undefined: the
   * caller tries the next attempt number.
   */
  private async putOnce(planned: PlannedWrite): Promise<StoredReceipt | undefined> {
    const { key, body, receipt } = planned;
    const { result, sha256 } = await putJsonOnce(this.s3, { bucket: this.location.bucket, key }, body);
    if (result.kind === 'taken') return undefined;
    return { key, uri: this.uri(key), sha256, bytes: body.length, body, receipt };
  }
}

interface PlannedWrite {
  key: string;
  body: Buffer;
  receipt: Receipt;
}

/** What a writer knows when it plans: the stored receipts, the open claims (read) and every claimed number. */
export interface ChainState {
  receipts: StoredReceipt[];
  claims: SequenceClaim[];
  claimed: number[];
}

/**
 * Pure: the next receipt of the chain given what is stored. The sequence follows the highest number
 * taken (receipt or claim); the link goes to the highest claim whose receipt may still be on its way, else
 * to the receipts' head. The attempt number follows every receipt and every open claim of the phase.
 */
export function planWrite(
  location: ReceiptLocation,
  draft: ReceiptDraft,
  state: ChainState,
  lastTried: number,
  { ReceiptSchema, serializeReceipt }: Envelope,
): PlannedWrite {
  const stored = chainHead(state.receipts);
  const storedSequence = stored?.receipt?.sequence ?? 0;
  const claim = state.claims
    .filter((c) => c.sequence > storedSequence)
    .reduce<SequenceClaim | undefined>((top, c) => (!top || c.sequence > top.sequence ? c : top), undefined);
  const link = claim
    ? { key: claim.key, sha256: claim.sha256 }
    : stored
      ? { key: stored.key, sha256: stored.sha256 }
      : null;
  const taken = Math.max(storedSequence, ...state.claimed, 0);
  const claimedAttempts = state.claims
    .map((c) => parseReceiptFileName(c.key.split('/').pop() ?? ''))
    .filter((name) => name?.phase === draft.phase)
    .map((name) => name?.attempt ?? 0);
  const attempt = Math.max(highestAttempt(state.receipts, draft.phase), ...claimedAttempts, lastTried) + 1;
  const receipt: Receipt = ReceiptSchema.parse({
    ...draft,
    attempt,
    sequence: taken + 1,
    previous: link,
  });
  return {
    key: receiptKey(location, draft.phase, attempt),
    body: Buffer.from(serializeReceipt(receipt)),
    receipt,
  };
}

/** What a receipt records, through the one sanitiser: inputs, outputs, the error and the source. */
export function sanitizeDraft(draft: ReceiptDraft): ReceiptDraft {
  return {
    ...draft,
    source: sanitize(draft.source) as ReceiptDraft['source'],
    inputs: sanitizeRecord(draft.inputs),
    outputs: sanitizeRecord(draft.outputs),
    error: draft.error ? (sanitize(draft.error) as NonNullable<ReceiptDraft['error']>) : null,
  };
}
