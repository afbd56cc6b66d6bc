import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PINNED_PRICES } from '../../src/cost/price-table.js';

// docs/eks.md (issue 22.6): linked where readers look, and its per-drill cost table priced from the pinned
// table (src/cost/prices.json), so a price change there cannot leave the EKS comparison stale.

const doc = readFileSync('docs/eks.md', 'utf8');
const prices = PINNED_PRICES.regions['us-east-1'];
const hour = (type: string) => prices?.instance_hour[type]?.usd as number;
const gbHour = (gb: number) =>
  (gb * (prices?.ebs_gp3_gb_month.usd as number)) / PINNED_PRICES.hours_per_month.value;
const usd = (value: number) => `$${value.toFixed(4)}`;

describe('docs/eks.md', () => {
  it('is linked from the README docs list and from docs/architecture.md', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('[the EKS target](docs/eks.md)');
    expect(readFileSync('docs/architecture.md', 'utf8')).toContain('[eks.md](eks.md)');
  });

  it("prices an hour's drill on each target with the pinned table's figures", () => {
    const runner = hour('t4g.medium');
    const runnerVolume = gbHour(30);
    const node = hour('t4g.large');
    const nodeVolume = gbHour(20);
    const claim = gbHour(10);
    expect(doc).toContain(
      `| runner instance t4g.medium (the kubectl host on EKS too) | ${usd(runner)} | ${usd(runner)} |`,
    );
    expect(doc).toContain(`| runner gp3 root volume, 30 GB | ${usd(runnerVolume)} | ${usd(runnerVolume)} |`);
    expect(doc).toContain(`| node t4g.large × \`eks_node_count\` (1) | — | ${usd(node)} |`);
    expect(doc).toMatch(new RegExp(`\\| node root volume, 20 GiB gp3 .* \\| — \\| \\${usd(nodeVolume)} \\|`));
    expect(doc).toContain(
      `| state claim, e.g. 10 GiB gp3 for the hour it exists | (on the root volume) | ${usd(claim)} |`,
    );
    const k3s = runner + runnerVolume;
    const eks = k3s + node + nodeVolume + claim;
    expect(doc).toContain(`| **Total on AWS** | **≈ $${k3s.toFixed(3)}** | **≈ $${eks.toFixed(3)}** |`);
    expect(doc).toContain(
      `Each extra node adds about $${(node + nodeVolume).toFixed(3)} per hour at t4g.large`,
    );
  });

  it('says which prices are unverified, as the pinned table does', () => {
    expect(prices?.instance_hour['t4g.large']?.source).toBe('unverified');
    expect(doc).toContain('is marked **unverified**');
  });
});
