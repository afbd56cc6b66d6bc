import { markdownTable } from '../util/markdown.js';
import type { DrillCost } from './estimate.js';

const usd = (n: number | null) =>
  n === null ? 'unpriced' : `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 4)}`;

/** One line for a list of runs: "$0.0558" or "unpriced (why)". */
export function costInWords(cost: DrillCost): string {
  return cost.status === 'priced' ? usd(cost.total_usd) : `unpriced (${cost.reasons.join('; ')})`;
}

/** The cost as Markdown: total, one row per priced item with its source, the table's date, and the notes. */
export function renderCost(cost: DrillCost): string {
  const rows = cost.lines.map((l) => [
    l.item,
    `${l.quantity} ${l.unit}`,
    l.unit_usd === null ? '—' : `$${l.unit_usd} per ${l.price_unit}`,
    usd(l.usd),
    l.source,
  ]);
  const lines = [
    `**Cost: ${costInWords(cost)}** (${cost.region}, prices of ${cost.price_table.date || 'no table'} from ${cost.price_table.origin}; on-demand, before any discount or free tier)`,
    '',
    markdownTable(['Item', 'Quantity', 'Unit price', 'Cost', 'Price source'], rows),
  ];
  if (cost.notes.length > 0) lines.push('', ...cost.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
