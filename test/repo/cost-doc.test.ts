import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { estimateCost } from '../../src/cost/estimate.js';
import { PINNED_PRICES } from '../../src/cost/price-table.js';
import { renderPriceTable } from '../../src/cost/render.js';
import { NAT_NOT_CREATED, NO_S3_READS } from '../../src/cost/usage.js';

const deploy = readFileSync('docs/deploy.md', 'utf8');

describe("docs/deploy.md's cost section reads from the pinned price table", () => {
  it('shows the table exactly as src/cost/prices.json pins it, with its date', () => {
    expect(deploy).toContain(renderPriceTable(PINNED_PRICES));
    expect(deploy).toContain(`pinned on ${PINNED_PRICES.date}`);
  });

  it("prices its one-hour example drill with the table's figures", () => {
    const cost = estimateCost(
      {
        region: 'us-east-1',
        instanceType: 't4g.medium',
        rootVolumeGb: 30,
        runner: { from: '', to: '', hours: 1, until: 'teardown' },
        natHours: 0,
        natReason: NAT_NOT_CREATED,
        s3: NO_S3_READS,
        notes: [],
      },
      PINNED_PRICES,
      'pinned',
    );
    const [runner, volume] = cost.lines;
    expect(deploy).toContain(`| t4g.medium | 1 h | $${runner?.usd} |`);
    expect(deploy).toContain(`| gp3 root volume, 30 GB | 1 h | $${volume?.usd} |`);
  });
});
