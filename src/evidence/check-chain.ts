import { DEFAULT_TARGET } from '../targets/target.js';
import type { Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';

/**
 * The hash chain: sequences run 1..n without gaps or repeats, the first receipt links to nothing and
 * every later one names the previous receipt's file and its exact sha256. Receipts arrive sorted by sequence.
 */
export function checkChain(receipts: BundledReceipt[]): Finding[] {
  const problems: Finding[] = [];
  receipts.forEach((current, index) => {
    const { sequence, previous } = current.receipt;
    if (sequence !== index + 1) {
      problems.push({
        code: 'chain-sequence',
        message: `${current.path} has sequence ${sequence}, expected ${index + 1}: a receipt is missing or repeated in the chain`,
        path: current.path,
      });
    }
    const before = receipts[index - 1];
    if (!before) {
      if (previous)
        problems.push({
          code: 'chain-broken',
          message: `${current.path} is first in the chain but links to ${previous.key}, which is not in the bundle`,
          path: current.path,
        });
      return;
    }
    if (!previous) {
      problems.push({
        code: 'chain-broken',
        message: `${current.path} does not link to the receipt before it (${before.path})`,
        path: current.path,
      });
      return;
    }
    const linkedName = previous.key.split('/').pop();
    if (linkedName !== before.name || previous.sha256 !== before.sha256) {
      problems.push({
        code: 'chain-broken',
        message: `${current.path} links to ${linkedName} sha256 ${previous.sha256}, but the receipt before it is ${before.name} sha256 ${before.sha256}`,
        path: current.path,
      });
    }
  });
  return problems;
}

/**
 * Each receipt ends after it starts, and receipts end in chain order (they are written as phases
 * finish), with one allowance: two phases that ran at the same time (teardown and failure jobs in
 * parallel) claim their sequence numbers in the order their writes reach S3, which need not be the order
 * they ended in. So a receipt may end before the one ahead of it in the chain, as long as it ended after
 * that one started (the two overlapped). A receipt that ended before the previous phase even started
 * cannot have been written after it, and is out of order.
 */
export function checkTimestamps(receipts: BundledReceipt[]): Finding[] {
  const problems: Finding[] = [];
  receipts.forEach((current, index) => {
    const { started_at: started, ended_at: ended } = current.receipt;
    if (Date.parse(ended) < Date.parse(started)) {
      problems.push({
        code: 'timestamps-out-of-order',
        message: `${current.path} ends (${ended}) before it starts (${started})`,
        path: current.path,
      });
    }
    const before = receipts[index - 1];
    if (before && Date.parse(ended) < Date.parse(before.receipt.started_at)) {
      problems.push({
        code: 'timestamps-out-of-order',
        message: `${current.path} (sequence ${current.receipt.sequence}) ended at ${ended}, before ${before.path} (sequence ${before.receipt.sequence}) started at ${before.receipt.started_at}: it cannot have been written after it`,
        path: current.path,
      });
    }
  });
  return problems;
}

export function checkExecutionIds(receipts: BundledReceipt[], expected: string): Finding[] {
  return receipts
    .filter((r) => r.receipt.execution_id !== expected)
    .map((r) => ({
      code: 'execution-id-mismatch',
      message: `${r.path} belongs to execution ${r.receipt.execution_id}, not ${expected}`,
      path: r.path,
    }));
}

/**
 * One execution is for one target: a receipt naming another target (or another kind) was written by
 * another execution's writer, so it is planted or misfiled. Receipts from before targets existed name
 * none and count as the default target.
 */
export function checkTargets(receipts: BundledReceipt[]): Finding[] {
  const named = (r: BundledReceipt) => {
    const { name, kind } = r.receipt.target ?? DEFAULT_TARGET;
    return `${name} (${kind})`;
  };
  const first = receipts[0];
  if (!first) return [];
  return receipts
    .filter((r) => named(r) !== named(first))
    .map((r) => ({
      code: 'target-mismatch',
      message: `${r.path} is for target ${named(r)}, not ${named(first)} like ${first.path}`,
      path: r.path,
    }));
}
