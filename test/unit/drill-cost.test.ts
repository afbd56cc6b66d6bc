import { s3ReadsOfCliDownloads } from '../../src/cost/cli-downloads.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { PINNED_PRICES, type PriceTable, parsePriceTable } from '../../src/cost/price-table.js';
import { measureUsage } from '../../src/cost/usage.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

let sequence = 0;
function receipt(
  phase: Receipt['phase'],
  start: string,
  end: string,
  outputs: Record<string, unknown> = {},
  status: Receipt['status'] = 'ok',
): Receipt {
  sequence += 1;
  return {
    ...receiptDraft({ execution_id: 'drill-1', phase, started_at: start, ended_at: end, outputs, status }),
    attempt: 1,
    sequence,
    previous: null,
  } as Receipt;
}

const reads = (get: number, head: number, list: number, bytes: number) => ({
  get_requests: get,
  head_requests: head,
  list_requests: list,
  bytes,
});

/** A drill whose runner lived 1.5 h (bringup start 10:00 → teardown end 11:30) on a t4g.medium with 30 GB. */
function drill(
  bringupOutputs: Record<string, unknown> = { 'instance-type': 't4g.medium', 'root-volume-gb': 30 },
) {
  sequence = 0;
  return [
    receipt('restore-precheck', '2026-12-01T09:58:00.000Z', '2026-12-01T09:59:00.000Z', {
      's3-reads': reads(3, 4, 1, 2 * 1024 ** 3),
    }),
    receipt('bringup', '2026-12-01T10:00:00.000Z', '2026-12-01T10:04:00.000Z', bringupOutputs),
    receipt('restore', '2026-12-01T10:10:00.000Z', '2026-12-01T10:12:00.000Z', {
      's3-reads': reads(995, 2, 0, 1024 ** 3),
    }),
    receipt('teardown', '2026-12-01T11:25:00.000Z', '2026-12-01T11:30:00.000Z'),
  ];
}

const REPORT = new Date('2026-12-01T11:31:00.000Z');

describe('the cost of a drill, from its receipts and the pinned price table', () => {
  test('equals the hand-computed figure', () => {
    const cost = estimateCost(measureUsage(drill(), REPORT), PINNED_PRICES, 'pinned');
    // By hand, us-east-1 table of src/cost/prices.json:
    //   runner 1.5 h x $0.0336                 = 0.0504
    //   EBS 30 GB x 1.5 h = 45 GB-h / 720 x 0.08 = 0.005
    //   NAT 0 h                                = 0
    //   S3 GET+HEAD 1004 / 1000 x 0.0004       = 0.0004016
    //   S3 LIST 1 / 1000 x 0.005               = 0.000005
    //   transfer 3 GB x 0                      = 0
    expect(cost.status).toBe('priced');
    expect(cost.total_usd).toBeCloseTo(0.0504 + 0.005 + 0.0004016 + 0.000005, 9);
    expect(cost.lines.map((l) => [l.unit, l.quantity])).toEqual([
      ['instance-hours', 1.5],
      ['GB-hours', 45],
      ['hours', 0],
      ['requests', 1004],
      ['requests', 1],
      ['GB', 3],
    ]);
    expect(cost.reasons).toEqual([]);
    expect(cost.notes.join(' ')).toMatch(/creates no NAT gateway/);
    expect(cost.price_table).toEqual({ date: PINNED_PRICES.date, origin: 'pinned' });
  });

  test("an eks target's node group is priced beside the runner, from bringup's Terraform outputs", () => {
    const eks = (types: string[], count = 2) =>
      estimateCost(
        measureUsage(
          drill({
            'instance-type': 't4g.medium',
            'root-volume-gb': 30,
            'terraform-outputs': { eks_node_instance_types: types, eks_node_count: count },
          }),
          REPORT,
        ),
        PINNED_PRICES,
        'pinned',
      );
    const cost = eks(['t4g.large']);
    // By hand: 2 nodes x 1.5 h = 3 node-hours x $0.0672 = 0.2016;
    //          3 node-hours x 20 GB = 60 GB-h / 720 x 0.08 = 0.006666667
    const [nodes, volumes] = cost.lines.slice(6);
    expect(nodes).toMatchObject({ item: 'EKS node group 2 × t4g.large', quantity: 3, usd: 0.2016 });
    expect(volumes).toMatchObject({ quantity: 60, unit: 'GB-hours' });
    expect(volumes?.usd).toBeCloseTo((60 / 720) * 0.08, 9);
    expect(cost.total_usd).toBeCloseTo(0.0504 + 0.005 + 0.0004016 + 0.000005 + 0.2016 + (60 / 720) * 0.08, 9);

    // Several types: EKS picks, so every node is priced at the dearest, and the line says so.
    const mixed = eks(['t4g.large', 't4g.xlarge']).lines[6];
    expect(mixed?.item).toBe('EKS node group 2 × t4g.large | t4g.xlarge (priced at the dearest)');
    expect(mixed?.usd).toBeCloseTo(3 * 0.1344, 9);

    // A type the table does not list: unpriced, with the reason, never a guess.
    const unknown = eks(['m7g.large']);
    expect(unknown.status).toBe('unpriced');
    expect(unknown.reasons.join(' ')).toMatch(/node group instance type m7g\.large has no us-east-1 price/);

    // k3s (no node group in the outputs, or a count of 0): the six lines of before.
    expect(eks(['t4g.large'], 0).lines).toHaveLength(6);
    expect(estimateCost(measureUsage(drill(), REPORT), PINNED_PRICES, 'pinned').lines).toHaveLength(6);
  });

  test('an unknown instance type is unpriced with the reason, never a guess', () => {
    const cost = estimateCost(
      measureUsage(drill({ 'instance-type': 'm7g.large', 'root-volume-gb': 30 }), REPORT),
      PINNED_PRICES,
      'pinned',
    );
    expect(cost.status).toBe('unpriced');
    expect(cost.total_usd).toBeNull();
    expect(cost.reasons.join(' ')).toMatch(/instance type m7g\.large has no us-east-1 price/);
    expect(cost.lines[0]).toMatchObject({ quantity: 1.5, usd: null, source: 'no price' });
  });

  test('an unknown region is unpriced with the reason', () => {
    const receipts = drill().map((r) => ({ ...r, aws: { ...r.aws, region: 'ap-south-2' } }));
    const cost = estimateCost(measureUsage(receipts, REPORT), PINNED_PRICES, 'pinned');
    expect(cost.status).toBe('unpriced');
    expect(cost.total_usd).toBeNull();
    expect(cost.reasons).toEqual([expect.stringMatching(/region ap-south-2 is not in the price table/)]);
  });

  test('a bringup that did not record its size is unpriced, not priced as some default', () => {
    const cost = estimateCost(measureUsage(drill({}), REPORT), PINNED_PRICES, 'pinned');
    expect(cost.status).toBe('unpriced');
    expect(cost.reasons.join(' ')).toMatch(/instance type is not recorded.*root volume size is not recorded/);
  });

  test('without a teardown the runner is counted up to the report time, and says so', () => {
    const usage = measureUsage(drill().slice(0, 3), REPORT);
    expect(usage.runner).toMatchObject({ until: 'report', hours: 91 / 60 });
    expect(usage.notes.join(' ')).toMatch(/no successful teardown receipt/);
  });

  test('no bringup: no runner hours, and the S3 reads still count', () => {
    const cost = estimateCost(measureUsage(drill().slice(0, 1), REPORT), PINNED_PRICES, 'pinned');
    expect(cost.status).toBe('priced');
    expect(cost.lines[0]).toMatchObject({ quantity: 0, usd: 0 });
    expect(cost.total_usd).toBeCloseTo((7 / 1000) * 0.0004 + (1 / 1000) * 0.005, 9);
  });

  test('a receipt without s3-reads is noted, not counted as zero silently', () => {
    const receipts = drill();
    receipts[2] = { ...receipts[2], outputs: {} } as Receipt;
    expect(measureUsage(receipts, REPORT).notes.join(' ')).toMatch(
      /restore \(attempt 1\) recorded no s3-reads/,
    );
  });

  test('an override table prices with its own figures and names its origin', () => {
    const table: PriceTable = structuredClone(PINNED_PRICES);
    (table.regions['us-east-1'] as PriceTable['regions'][string]).instance_hour['t4g.medium'] = {
      usd: 1,
      source: 'test',
    };
    const override = parsePriceTable(JSON.stringify({ ...table, date: '2027-01-01' }), 'my-prices.json');
    const cost = estimateCost(measureUsage(drill(), REPORT), override, 'my-prices.json');
    expect(cost.lines[0]).toMatchObject({ unit_usd: 1, usd: 1.5, source: 'test' });
    expect(cost.price_table).toEqual({ date: '2027-01-01', origin: 'my-prices.json' });
  });

  test('a malformed override is refused naming the field', () => {
    expect(() => parsePriceTable('{', 'x.json')).toThrow(/x\.json is not JSON/);
    expect(() => parsePriceTable(JSON.stringify({ ...PINNED_PRICES, currency: 'EUR' }), 'x.json')).toThrow(
      /currency/,
    );
  });

  test('every pinned price names its source, or says unverified', () => {
    for (const region of Object.values(PINNED_PRICES.regions)) {
      const prices = [
        ...Object.values(region.instance_hour),
        region.ebs_gp3_gb_month,
        region.nat_gateway_hour,
      ];
      for (const price of prices)
        expect(price.source === 'unverified' || /^https:\/\//.test(price.source)).toBe(true);
    }
  });
});

describe("restore's S3 reads, from the bytes of each aws s3 cp download", () => {
  test('one HEAD per object; one GET below the 8 MB multipart threshold, one per 8 MB chunk from it', () => {
    const MB = 1024 * 1024;
    expect(s3ReadsOfCliDownloads([300, 8 * MB - 1, 8 * MB, 20 * MB])).toEqual({
      get_requests: 1 + 1 + 1 + 3,
      head_requests: 4,
      list_requests: 0,
      bytes: 300 + 8 * MB - 1 + 8 * MB + 20 * MB,
    });
    expect(s3ReadsOfCliDownloads([])).toEqual({
      get_requests: 0,
      head_requests: 0,
      list_requests: 0,
      bytes: 0,
    });
  });
});
