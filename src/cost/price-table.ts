import { z } from 'zod';
import pinned from './prices.json' with { type: 'json' };

/** One price: what it costs per unit, and where the figure came from ('unverified' when nothing citable was found). */
const Price = z.object({
  usd: z.number().min(0),
  source: z.string().min(1),
  verify_at: z.string().optional(),
});
export type Price = z.infer<typeof Price>;

const RegionPrices = z.object({
  instance_hour: z.record(z.string(), Price),
  ebs_gp3_gb_month: Price,
  nat_gateway_hour: Price,
  s3_get_per_1000: Price,
  s3_list_per_1000: Price,
  s3_to_ec2_same_region_per_gb: Price,
});
export type RegionPrices = z.infer<typeof RegionPrices>;

export const PriceTableSchema = z.object({
  '//': z.string().optional(),
  date: z.iso.date(),
  currency: z.literal('USD'),
  /** EBS bills GB-months per second; the month the pricing example divides by. */
  hours_per_month: z.object({ value: z.number().positive(), source: z.string().min(1) }),
  regions: z.record(z.string(), RegionPrices),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** The table pinned in the repository (src/cost/prices.json): what every cost figure uses unless overridden. */
export const PINNED_PRICES: PriceTable = PriceTableSchema.parse(pinned);

/** A table from --price-table: the same shape as the pinned one, or an error naming what is wrong. */
export function parsePriceTable(text: string, origin: string): PriceTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${origin} is not JSON (${(error as Error).message}); give a file shaped like src/cost/prices.json`,
    );
  }
  const parsed = PriceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${origin} is not a price table: ${problems.join('; ')} (see src/cost/prices.json)`);
  }
  return parsed.data;
}
