import type { Receipt } from '../receipts/envelope.js';
import { type DrillCost, estimateCost } from './estimate.js';
import { PINNED_PRICES, type PriceTable } from './price-table.js';
import { measureUsage } from './usage.js';

/** How the pinned table is named in a cost's price_table.origin. */
export const PINNED_ORIGIN = 'src/cost/prices.json (pinned)';

export interface ChosenTable {
  table: PriceTable;
  origin: string;
}

export const PINNED_TABLE: ChosenTable = { table: PINNED_PRICES, origin: PINNED_ORIGIN };

/**
 * The cost of one execution from its receipts: the one function the report receipt (notify
 * drill-complete), `standby evidence report` and the reviewer summary all use. `reportTime` ends the
 * runner's window when no teardown has run yet (the reviewer summary's "so far").
 */
export function drillCost(
  receipts: Receipt[],
  reportTime: Date,
  chosen: ChosenTable = PINNED_TABLE,
): DrillCost {
  return estimateCost(measureUsage(receipts, reportTime), chosen.table, chosen.origin);
}

/** A cost that could not be priced at all (the override table unreadable): the reason, and no figure. */
export function unpricedCost(receipts: Receipt[], reportTime: Date, reason: string): DrillCost {
  const cost = drillCost(receipts, reportTime);
  return {
    ...cost,
    status: 'unpriced',
    total_usd: null,
    lines: cost.lines.map((l) => ({ ...l, unit_usd: null, usd: null, source: 'no price' })),
    reasons: [reason],
    price_table: { date: '', origin: 'none' },
  };
}
