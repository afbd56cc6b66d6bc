import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { promote } from '../../../src/phases/promote/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import type { Clock } from '../../../src/util/clock.js';
import { useEmulator } from '../../helpers/emulator.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import {
  approval,
  forbidden,
  notFound,
  octocat,
  primaryRateLimited,
  type ScriptedResponse,
  startGitHubStandIn,
} from '../../helpers/github-api.js';

useEmulator();
const BUCKET = 'standby-receipts';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const APPROVALS = 'GET /repos/octo-org/octo-repo/actions/runs/4242/approvals';
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>> | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function promoteWith(script: ScriptedResponse[], extra: Record<string, string> = {}, clock?: Clock) {
  standIn = await startGitHubStandIn({ [APPROVALS]: script });
  const aws = new AwsClients();
  await ensureBucket(aws.s3, BUCKET);
  const masked: string[] = [];
  const io = new MemoryIO({
    'execution-id': 'drill-7',
    'receipt-bucket': BUCKET,
    'github-token': TOKEN,
    'run-id': '4242',
    repository: 'octo-org/octo-repo',
    'api-url': standIn.url,
    ticket: 'CHG-1234',
    ...extra,
  });
  Object.assign(io, { mask: (value: string) => masked.push(value) });
  const run = await runPhase(promote, io, {
    aws,
    env: {},
    now: () => new Date('2026-11-22T02:30:00Z'),
    clock,
  });
  return { ...run, io, masked, body: run.receipt?.body.toString('utf8') ?? '' };
}

function expectTokenNowhere(found: Awaited<ReturnType<typeof promoteWith>>) {
  expect(found.body).not.toContain(TOKEN);
  expect(found.body).not.toContain('github-token');
  expect([...found.io.logs, ...found.io.summaries, found.io.failure ?? ''].join('\n')).not.toContain(TOKEN);
  expect(Object.values(found.io.outputs).join('\n')).not.toContain(TOKEN);
  expect(found.masked).toContain(TOKEN);
}

describe('promote against a GitHub REST stand-in', () => {
  it('approved: records approved_but_auto_promote_disabled, the reviewer, the comment, the ticket and its own timestamp', async () => {
    const found = await promoteWith([
      {
        status: 200,
        body: [
          approval('approved', 'Checked the summary, go', 'dr-promotion', { ...octocat, login: 'alice' }),
        ],
      },
    ]);
    expect(found.result.status).toBe('ok');
    expect(found.io.outputs).toMatchObject({
      'promotion-status': 'approved_but_auto_promote_disabled',
      'decided-by': 'alice',
      comment: 'Checked the summary, go',
      'recorded-at': '2026-11-22T02:30:00.000Z',
      ticket: 'CHG-1234',
    });
    expect(found.receipt?.receipt?.outputs['promotion-status']).toBe('approved_but_auto_promote_disabled');
    expect(found.receipt?.receipt?.inputs.ticket).toBe('CHG-1234');
    expect(found.io.summaries.join('\n')).toContain('Automatic promotion is disabled');
    expectTokenNowhere(found);
  });

  it('rejected: records manual_promotion_rejected with the reason given', async () => {
    const found = await promoteWith([
      { status: 200, body: [approval('rejected', 'backup older than the change window')] },
    ]);
    expect(found.result.status).toBe('ok');
    expect(found.io.outputs['promotion-status']).toBe('manual_promotion_rejected');
    expect(found.io.outputs.comment).toBe('backup older than the change window');
    expectTokenNowhere(found);
  });

  it('no review yet: fails closed with reason no_decision and a receipt saying so', async () => {
    const found = await promoteWith([{ status: 200, body: [] }]);
    expect(found.result.failure?.reason).toBe('no_decision');
    expect(found.receipt?.receipt?.status).toBe('failed');
    expect(found.io.failure).toContain("no review of environment 'dr-promotion' on run 4242");
  });

  it('404: the failure says to check repository and run id', async () => {
    const found = await promoteWith([notFound]);
    expect(found.receipt?.receipt?.error?.message).toContain('check the repository (owner/name), the run id');
    expectTokenNowhere(found);
  });

  it('403: the failure names the permission the job needs', async () => {
    const found = await promoteWith([forbidden]);
    expect(found.receipt?.receipt?.error?.message).toContain("'actions: read'");
    expectTokenNowhere(found);
  });

  it('rate limited: waits for the reset (on the injected clock) and still records the decision', async () => {
    const clock = fakeClock(Date.parse('2026-11-22T02:30:00Z'));
    const reset = Math.floor(clock.now() / 1000) + 30;
    const started = Date.now();
    const found = await promoteWith(
      [primaryRateLimited(reset), { status: 200, body: [approval('approved', 'ok')] }],
      {},
      clock,
    );
    expect(found.io.outputs['promotion-status']).toBe('approved_but_auto_promote_disabled');
    expect(found.io.logs.some((line) => line.includes('rate limited; retrying in 31s'))).toBe(true);
    expect(clock.slept).toEqual([31_000]); // until x-ratelimit-reset, plus a second
    expect(standIn?.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('scheduled drill: records no_decision_scheduled_drill ("no decision: scheduled drill") without asking GitHub', async () => {
    // An approval in the log must not be read: a scheduled drill has no gate, so nobody decided anything.
    const found = await promoteWith([{ status: 200, body: [approval('approved', 'stale')] }], {
      'scheduled-drill': 'true',
    });
    expect(found.result.status).toBe('ok');
    expect(found.io.outputs).toMatchObject({
      'promotion-status': 'no_decision_scheduled_drill',
      'decided-by': '',
      comment: 'no decision: scheduled drill',
      ticket: 'CHG-1234',
    });
    expect(found.receipt?.receipt?.status).toBe('ok');
    expect(found.receipt?.receipt?.outputs.comment).toBe('no decision: scheduled drill');
    expect(found.receipt?.receipt?.inputs['scheduled-drill']).toBe('true');
    expect(standIn?.requests).toHaveLength(0);
    expect(found.io.summaries.join('\n')).toContain('scheduled drill has no gate');
    expectTokenNowhere(found);
  });

  it('scheduled-drill on a real DR execution: refused (invalid_input), nothing recorded as decided', async () => {
    for (const id of ['alarm-4242', 'dr-4242', 'freshness-4242', 'xdrill-4242']) {
      const found = await promoteWith([{ status: 200, body: [] }], {
        'scheduled-drill': 'true',
        'execution-id': id,
      });
      expect(found.result.status).toBe('failed');
      expect(found.result.failure?.reason).toBe('invalid_input');
      expect(found.io.failure).toContain('a real DR run always waits for a reviewer');
      expect(found.io.outputs['promotion-status']).toBeUndefined();
      await standIn?.close();
      standIn = undefined;
    }
  });

  it("scheduled-drill parses strictly: 'yes' is an error, not true", async () => {
    const found = await promoteWith([{ status: 200, body: [] }], { 'scheduled-drill': 'yes' });
    expect(found.result.failure?.reason).toBe('invalid_input');
    expect(found.io.outputs['promotion-status']).toBeUndefined();
  });
});
