import type { ParsedAttestation } from './attestation.js';
import type { Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';

/**
 * The chain's anchor: what the run published outside the bucket when it ended (the report job's summary
 * and a signed attestation). A forger with write access to the bucket can rebuild every hash in it, but
 * not the head the run already published: if the bucket's chain no longer reaches that head, receipts
 * were removed or rewritten after the run.
 */
export interface Anchor {
  /** sha256 of the last receipt when the run ended. */
  head: string;
  /** How many receipts the chain had then. */
  count?: number;
  /** Every receipt attested (name and sha256), when the anchor is an attestation. */
  receipts?: Array<{ name: string; sha256: string }>;
  /** The run the attestation names. */
  runId?: string;
  from: 'expect-head' | 'attestation';
}

export interface ChainHead {
  count: number;
  head?: { path: string; name: string; sha256: string; sequence: number };
}

export interface AnchorVerdict {
  anchored: boolean;
  problems: Finding[];
  notes: Finding[];
}

export function chainHeadOf(receipts: BundledReceipt[]): ChainHead {
  const last = receipts.at(-1);
  return {
    count: receipts.length,
    head: last && { path: last.path, name: last.name, sha256: last.sha256, sequence: last.receipt.sequence },
  };
}

/** An anchor from an attestation: its receipts, the one latest in the bundle's chain as the head. */
export function anchorFromAttestation(attestation: ParsedAttestation, receipts: BundledReceipt[]): Anchor {
  const position = (sha256: string) => receipts.findIndex((r) => r.sha256 === sha256);
  const latest = [...attestation.receipts].sort((a, b) => position(b.sha256) - position(a.sha256))[0];
  return {
    head: latest?.sha256 ?? '',
    count: attestation.receipts.length,
    receipts: attestation.receipts,
    runId: attestation.runId,
    from: 'attestation',
  };
}

/**
 * The bundle's chain must reach the anchored head at the anchored count, hold every attested receipt
 * byte for byte, and anything after the head must be a labelled out-of-run receipt (a manual teardown,
 * an activation, a sweep); the attestation must come from the execution's own run.
 */
export function judgeAnchor(
  receipts: BundledReceipt[],
  anchor: Anchor,
  context: { outOfRun: string[]; expectedRunId?: string },
): AnchorVerdict {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const actual = chainHeadOf(receipts);
  const where = `the bundle's chain ends at ${actual.head?.name ?? 'nothing'} sha256 ${actual.head?.sha256 ?? '-'} (${actual.count} receipts)`;
  problems.push(...attestedReceipts(receipts, anchor));
  const index = receipts.findIndex((r) => r.sha256 === anchor.head);
  if (index < 0) {
    problems.push({
      code: 'anchor-head-missing',
      message: `the anchored head sha256 ${anchor.head || '(none)'}${anchor.count ? ` (${anchor.count} receipts)` : ''} is not in the bundle: receipts were removed or rewritten after the chain was anchored; ${where}`,
    });
    return { anchored: false, problems, notes };
  }
  if (anchor.count !== undefined && index + 1 !== anchor.count) {
    problems.push({
      code: 'anchor-count-mismatch',
      message: `the anchored head ${receipts[index]?.name} was receipt ${anchor.count} of the chain when anchored but is receipt ${index + 1} in the bundle: receipts before it were added or removed`,
    });
  }
  for (const later of receipts.slice(index + 1)) {
    if (context.outOfRun.includes(later.path)) {
      notes.push({
        code: 'after-anchor',
        message: `${later.path} came after the anchored head and is a labelled out-of-run ${later.receipt.phase}`,
        path: later.path,
      });
    } else {
      problems.push({
        code: 'chain-beyond-anchor',
        message: `${later.path} (${later.receipt.phase}, status ${later.receipt.status}) was added after the chain was anchored at ${receipts[index]?.name} and is not a labelled out-of-run receipt`,
        path: later.path,
      });
    }
  }
  if (anchor.runId && context.expectedRunId && anchor.runId !== context.expectedRunId) {
    problems.push({
      code: 'anchor-run-mismatch',
      message: `the attestation was made by run ${anchor.runId}, not by the execution's run ${context.expectedRunId}`,
    });
  }
  return { anchored: problems.length === 0, problems, notes };
}

function attestedReceipts(receipts: BundledReceipt[], anchor: Anchor): Finding[] {
  return (anchor.receipts ?? []).flatMap((attested) => {
    const found = receipts.find((r) => r.name === attested.name);
    if (found?.sha256 === attested.sha256) return [];
    return [
      found
        ? {
            code: 'anchor-receipt-changed',
            message: `${found.path} is not the receipt that was attested: attested sha256 ${attested.sha256}, bundle has ${found.sha256}`,
            path: found.path,
          }
        : {
            code: 'anchor-receipt-missing',
            message: `${attested.name} was attested (sha256 ${attested.sha256}) but is not in the bundle`,
          },
    ];
  });
}
