import { markdownTable } from '../util/markdown.js';
import type { DrillCost } from './estimate.js';
import type { Price, PriceTable } from './price-table.js';

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

/** The pinned table as docs/deploy.md shows it (a test keeps the two equal): one row per price, with its source. */
export function renderPriceTable(table: PriceTable): string {
  const source = (p: Price) => (p.verify_at ? `${p.source}; check at ${p.verify_at}` : p.source);
  const rows: string[][] = [];
  for (const [region, prices] of Object.entries(table.regions)) {
    for (const [type, price] of Object.entries(prices.instance_hour))
      rows.push([region, `EC2 ${type}`, `$${price.usd} per instance-hour`, source(price)]);
    const other: [string, Price, string][] = [
      ['EBS gp3 storage', prices.ebs_gp3_gb_month, 'GB-month'],
      ['NAT gateway', prices.nat_gateway_hour, 'hour'],
      ['S3 GET, HEAD', prices.s3_get_per_1000, '1,000 requests'],
      ['S3 LIST', prices.s3_list_per_1000, '1,000 requests'],
      ['S3 → EC2, same region', prices.s3_to_ec2_same_region_per_gb, 'GB'],
    ];
    for (const [item, price, unit] of other)
      rows.push([region, item, `$${price.usd} per ${unit}`, source(price)]);
  }
  return markdownTable(['Region', 'Item', 'Price', 'Source'], rows);
}
