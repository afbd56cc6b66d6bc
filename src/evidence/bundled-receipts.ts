import { type Receipt, ReceiptSchema } from '../receipts/envelope.js';
import { parseReceiptFileName, sha256Hex } from '../receipts/store.js';
import { type BundleFile, type Finding, RECEIPTS_DIR } from './bundle.js';

export interface BundledReceipt {
  path: string;
  /** File name without the folder: the same name the receipt has in S3. */
  name: string;
  sha256: string;
  receipt: Receipt;
}

/** Parses every file under receipts/; a file that is not a valid receipt is a problem, never skipped. */
export function parseBundledReceipts(files: BundleFile[]): {
  receipts: BundledReceipt[];
  problems: Finding[];
} {
  const receipts: BundledReceipt[] = [];
  const problems: Finding[] = [];
  for (const file of files.filter((f) => f.path.startsWith(`${RECEIPTS_DIR}/`))) {
    const name = file.path.slice(RECEIPTS_DIR.length + 1);
    let raw: unknown;
    try {
      raw = JSON.parse(file.body.toString('utf8'));
    } catch {
      problems.push({ code: 'receipt-invalid', message: `${file.path} is not valid JSON`, path: file.path });
      continue;
    }
    const parsed = ReceiptSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      problems.push({
        code: 'receipt-invalid',
        message: `${file.path} is not a standby.receipt/v1 receipt: ${detail}`,
        path: file.path,
      });
      continue;
    }
    const receipt = parsed.data;
    const named = parseReceiptFileName(name);
    if (!named || named.phase !== receipt.phase || named.attempt !== receipt.attempt) {
      problems.push({
        code: 'receipt-name-mismatch',
        message: `${file.path} holds ${receipt.phase} attempt ${receipt.attempt}, which is not what its name says`,
        path: file.path,
      });
    }
    receipts.push({ path: file.path, name, sha256: sha256Hex(file.body), receipt });
  }
  receipts.sort((a, b) => a.receipt.sequence - b.receipt.sequence);
  return { receipts, problems };
}

/** The newest attempt of each phase: it decides the phase's outcome (earlier attempts stay for the chain). */
export function newestAttempts(receipts: BundledReceipt[]): Map<string, BundledReceipt> {
  const newest = new Map<string, BundledReceipt>();
  for (const r of receipts) {
    const current = newest.get(r.receipt.phase);
    if (!current || r.receipt.attempt > current.receipt.attempt) newest.set(r.receipt.phase, r);
  }
  return newest;
}

/** Receipts written through an endpoint override (the local emulator) are not evidence of a real run. */
export function emulatorEndpoints(receipts: BundledReceipt[]): string[] {
  return [...new Set(receipts.map((r) => r.receipt.aws.endpoint).filter((e): e is string => Boolean(e)))];
}
