import type { Price, PriceTable } from './price-table.js';
import type { DrillUsage } from './usage.js';

/** One priced line: a measured quantity times a pinned unit price, with the price's source. */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unit_usd: number | null;
  /** What unit_usd is per: "instance-hour", "GB-month", "1,000 requests", "GB". */
  price_unit: string;
  usd: number | null;
  source: string;
}

/**
 * The cost of one execution. `unpriced` when any line has no price in the table (a region or instance type
 * it does not list): the total is then null and `reasons` says what is missing — never a guess.
 */
export interface DrillCost {
  status: 'priced' | 'unpriced';
  currency: 'USD';
  total_usd: number | null;
  region: string;
  instance_type: string | null;
  root_volume_gb: number | null;
  lines: CostLine[];
  reasons: string[];
  notes: string[];
  price_table: { date: string; origin: string };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
/** Dollars to a billionth: a drill's S3 requests cost fractions of a cent. */
const roundUsd = (n: number) => Math.round(n * 1e9) / 1e9;
const GB = 1024 ** 3;

function line(
  item: string,
  [quantity, unit]: [number, string],
  [price, priceUnit, per]: [Price | undefined, string, number],
): CostLine {
  const base = { item, quantity: round(quantity), unit, price_unit: priceUnit };
  if (!price) return { ...base, unit_usd: null, usd: null, source: 'no price' };
  return {
    ...base,
    unit_usd: price.usd,
    usd: roundUsd((quantity / per) * price.usd),
    source: price.source,
  };
}

/** Prices the measured usage of one execution with a price table (pure: same usage and table, same cost). */
export function estimateCost(usage: DrillUsage, table: PriceTable, origin: string): DrillCost {
  const reasons: string[] = [];
  const prices = table.regions[usage.region];
  if (!prices) reasons.push(`region ${usage.region} is not in the price table of ${table.date} (${origin})`);
  const hours = usage.runner?.hours ?? 0;
  let instancePrice: Price | undefined;
  if (usage.runner && !usage.instanceType)
    reasons.push('the runner ran but its instance type is not recorded');
  else if (usage.runner && prices) {
    instancePrice = prices.instance_hour[usage.instanceType as string];
    if (!instancePrice)
      reasons.push(
        `instance type ${usage.instanceType} has no ${usage.region} price in the table of ${table.date} (${origin})`,
      );
  }
  if (usage.runner && usage.rootVolumeGb === undefined)
    reasons.push('the runner ran but its root volume size is not recorded');
  const gbHours = hours * (usage.rootVolumeGb ?? 0);
  const s3 = usage.s3;
  const lines = [
    line(
      `Runner ${usage.instanceType ?? '(no runner)'}`,
      [hours, 'instance-hours'],
      [usage.runner ? instancePrice : zero(prices), 'instance-hour', 1],
    ),
    line(
      'EBS gp3 root volume',
      [gbHours, 'GB-hours'],
      [prices?.ebs_gp3_gb_month, `GB-month (${table.hours_per_month.value} h)`, table.hours_per_month.value],
    ),
    line(
      'NAT gateway (none created by standby)',
      [usage.natHours, 'hours'],
      [prices?.nat_gateway_hour, 'hour', 1],
    ),
    line(
      'S3 GET and HEAD requests',
      [s3.get_requests + s3.head_requests, 'requests'],
      [prices?.s3_get_per_1000, '1,000 requests', 1000],
    ),
    line(
      'S3 LIST requests',
      [s3.list_requests, 'requests'],
      [prices?.s3_list_per_1000, '1,000 requests', 1000],
    ),
    line(
      'S3 → EC2 transfer, same region',
      [s3.bytes / GB, 'GB'],
      [prices?.s3_to_ec2_same_region_per_gb, 'GB', 1],
    ),
    ...nodeGroupLines(usage, table, reasons),
  ];
  const priced = reasons.length === 0 && lines.every((l) => l.usd !== null);
  return {
    status: priced ? 'priced' : 'unpriced',
    currency: 'USD',
    total_usd: priced ? roundUsd(lines.reduce((sum, l) => sum + (l.usd as number), 0)) : null,
    region: usage.region,
    instance_type: usage.instanceType ?? null,
    root_volume_gb: usage.rootVolumeGb ?? null,
    lines,
    reasons,
    notes: [...usage.notes, `NAT: ${usage.natReason}`],
    price_table: { date: table.date, origin },
  };
}

/**
 * An eks target's node group: its nodes for the runner's lifetime, and their root volumes. With several
 * instance types (EKS picks among them) every node is priced at the dearest: an upper bound, said so.
 */
function nodeGroupLines(usage: DrillUsage, table: PriceTable, reasons: string[]): CostLine[] {
  const group = usage.nodeGroup;
  if (!group) return [];
  const prices = table.regions[usage.region];
  const nodeHours = (usage.runner?.hours ?? 0) * group.count;
  const known = group.instanceTypes.map((type) => prices?.instance_hour[type]);
  const missing = group.instanceTypes.filter((_, i) => !known[i]);
  if (prices && missing.length > 0)
    reasons.push(
      `node group instance type ${missing.join(', ')} has no ${usage.region} price in the table of ${table.date}`,
    );
  const dearest =
    missing.length === 0 ? known.reduce((a, b) => ((b?.usd ?? 0) > (a?.usd ?? 0) ? b : a)) : undefined;
  const types = group.instanceTypes.join(' | ');
  return [
    line(
      `EKS node group ${group.count} × ${types}${group.instanceTypes.length > 1 ? ' (priced at the dearest)' : ''}`,
      [nodeHours, 'instance-hours'],
      [dearest, 'instance-hour', 1],
    ),
    line(
      `EKS node root volumes ${group.count} × ${group.diskGb} GB (EKS default size, priced as gp3)`,
      [nodeHours * group.diskGb, 'GB-hours'],
      [prices?.ebs_gp3_gb_month, `GB-month (${table.hours_per_month.value} h)`, table.hours_per_month.value],
    ),
  ];
}

/** No runner ran: its line costs nothing whatever the type, so it needs no instance price. */
function zero(prices: unknown): Price | undefined {
  return prices ? { usd: 0, source: 'no runner ran' } : undefined;
}
