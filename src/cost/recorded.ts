import type { Receipt } from '../receipts/envelope.js';

/** The cost a report receipt recorded (notify drill-complete, output `cost`), as a list of runs shows it. */
export interface RecordedCost {
  status: 'priced' | 'unpriced';
  total_usd: number | null;
  reasons: string[];
}

/**
 * The execution's recorded cost: the newest receipt whose outputs carry one. Undefined for runs whose
 * report receipt predates the cost (or that never reached the report job): shown as "not recorded",
 * never recomputed with today's prices.
 */
export function recordedCost(receipts: Receipt[]): RecordedCost | undefined {
  const withCost = receipts
    .filter((r) => r.phase === 'notify' && typeof r.outputs.cost === 'object' && r.outputs.cost !== null)
    .sort((a, b) => a.sequence - b.sequence)
    .at(-1);
  const cost = withCost?.outputs.cost as Partial<RecordedCost> | undefined;
  if (!cost || (cost.status !== 'priced' && cost.status !== 'unpriced')) return undefined;
  return {
    status: cost.status,
    total_usd: typeof cost.total_usd === 'number' ? cost.total_usd : null,
    reasons: Array.isArray(cost.reasons)
      ? cost.reasons.filter((r): r is string => typeof r === 'string')
      : [],
  };
}

/** A table cell: "$0.0554", "unpriced", or "not recorded". */
export function recordedCostCell(cost: RecordedCost | undefined): string {
  if (!cost) return 'not recorded';
  if (cost.status === 'unpriced' || cost.total_usd === null) return 'unpriced';
  return `$${cost.total_usd.toFixed(4)}`;
}
