import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { PIPELINE_PHASES } from '../../src/receipts/envelope.js';
import { seedDrill } from '../helpers/drill-receipts.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 23.3: `standby drills` lists recent executions with RTO, RPO and a verdict from the same
 * evidence check as DrillAge and `triggers enable`, reading receipts planted in moto over HTTP as
 * drill.yml writes them (one minute per phase, so RTO is the minutes up to request-approval).
 */
useEmulator();

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
});

async function drills(...extra: string[]) {
  const term = captureTerminal();
  const code = await runCli(['drills', '--receipt-bucket', 'receipts', ...extra], term);
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

/** Minutes from the first receipt to approval-ready, one minute per phase. */
const RTO = (PIPELINE_PHASES.indexOf('request-approval') + 1) * 60;

async function seedThree() {
  // Its report receipt (notify drill-complete) recorded the drill's cost; the others predate it.
  const cost = { status: 'priced', total_usd: 0.0554086, reasons: [] };
  await seedDrill('4001', 3, {
    outputs: { 'restore-precheck': { 'backup-age-hours': 3.5 }, notify: { cost } },
  });
  await seedDrill('4242', 2, { status: { restore: 'failed' } });
  await seedDrill('5001', 1, { status: { validate: 'skipped' } });
}

describe('standby drills', () => {
  it('lists executions newest first with RTO, RPO and verified / unverified / failed', async () => {
    await seedThree();
    const { code, out } = await drills('--json');
    expect(code).toBe(EXIT.ok);
    const { executions } = JSON.parse(out);
    expect(executions.map((e: { execution_id: string }) => e.execution_id)).toEqual([
      'drill-5001',
      'drill-4242',
      'drill-4001',
    ]);
    expect(executions[2]).toMatchObject({ verdict: 'verified', rto_seconds: RTO, rpo_hours: 3.5, why: [] });
    expect(executions[2].cost).toEqual({ status: 'priced', total_usd: 0.0554086, reasons: [] });
    expect(executions[1].cost).toBeNull();
    expect(executions[1]).toMatchObject({ verdict: 'failed', why: ['restore failed'], rto_seconds: RTO });
    expect(executions[0].verdict).toBe('unverified');
    expect(executions[0].why.length).toBeGreaterThan(0);
    expect(executions[0].budget_seconds).toBeGreaterThan(0);
  });

  it('--limit reads only the newest executions', async () => {
    await seedThree();
    const { executions } = JSON.parse((await drills('--json', '--limit', '2')).out);
    expect(executions.map((e: { execution_id: string }) => e.execution_id)).toEqual([
      'drill-5001',
      'drill-4242',
    ]);
    expect((await drills('--limit', '0')).code).toBe(EXIT.usage);
  });

  it('prints a table and the RTO trend as plain text (no colour off a TTY)', async () => {
    await seedThree();
    const { code, out } = await drills();
    expect(code).toBe(EXIT.ok);
    expect(out).not.toContain('\u001b[');
    expect(out).toMatch(/^drill-4001 +drill .* 8m 0s .* 3\.5 h +\$0\.0554 +verified$/m);
    expect(out).toMatch(/^drill-4242 .* not recorded +failed/m);
    expect(out).toContain('(8.3x the budget)');
    expect(out).toContain('RTO trend, oldest first');
    const bars = out.split('\n').filter((l) => /^drill-\d+ +[█▏▎▍▌▋▊▉ ]*│/.test(l));
    expect(bars.map((l) => l.split(' ')[0])).toEqual(['drill-4001', 'drill-4242', 'drill-5001']);
    expect(out).toMatch(/^sparkline +[▁-█]{3}$/m);
  });

  it('--markdown: the table and a Mermaid xychart with one bar per execution', async () => {
    await seedThree();
    const { out } = await drills('--markdown');
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(out)?.[1] ?? '';
    expect(chart.split('\n')[0]).toBe('xychart-beta');
    expect(chart).toContain('x-axis ["drill-4001", "drill-4242", "drill-5001"]');
    expect(chart).toContain(`bar [${RTO / 60}, ${RTO / 60}, ${RTO / 60}]`);
    expect(chart).toMatch(/^ {2}line \[([\d.]+), \1, \1\]$/m);
    expect(out).toMatch(
      /\| drill-4001 \| drill \| [^|]+ \| 8m 0s \| [^|]+ \| 3\.5 h \| \$0\.0554 \| verified \|/,
    );
  });

  it('no execution at all: exit 3 and says so', async () => {
    const { code, err } = await drills();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain('no DR execution under s3://receipts/standby/receipts');
  });
});
