import { describe, expect, it } from '@jest/globals';
import type { RunClaim } from '../../../src/evidence/run-record.js';
import type { RunApproval, WorkflowRun } from '../../../src/github/types.js';
import { judgeApprovalReview } from '../../../src/phases/activate/approval-provenance.js';

// The pure review judge (issue 19.1): GitHub's run record and review log decide, no I/O.
const claim: RunClaim = { runId: '42', repository: 'acme/standby', workflowFile: 'pipeline.yml' };

function run(over: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: 42,
    name: 'pipeline',
    run_number: 1,
    event: 'workflow_dispatch',
    status: 'in_progress',
    conclusion: null,
    workflow_id: 7,
    path: '.github/workflows/pipeline.yml',
    head_sha: 'a'.repeat(40),
    html_url: 'https://github.com/acme/standby/actions/runs/42',
    created_at: '2026-12-04T00:00:00Z',
    updated_at: '2026-12-04T00:00:00Z',
    actor: { login: 'starter', id: 1 },
    ...over,
  } as WorkflowRun;
}

const review = (state: RunApproval['state'], login: string, env = 'promotion'): RunApproval => ({
  state,
  comment: '',
  user: { login, id: 2 },
  environments: [{ id: 3, name: env }],
});

describe('judgeApprovalReview', () => {
  it('allows an approval by someone other than the run starter', () => {
    expect(
      judgeApprovalReview(claim, { run: run(), approvals: [review('approved', 'reviewer')] }, 'promotion'),
    ).toEqual({ verdict: 'allowed', approvedBy: ['reviewer'] });
  });

  it('refuses a self-approval (case-insensitive login)', () => {
    const v = judgeApprovalReview(
      claim,
      { run: run(), approvals: [review('approved', 'STARTER')] },
      'promotion',
    );
    expect(v).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('self-approval') });
  });

  it('refuses when the review log records a rejection', () => {
    const v = judgeApprovalReview(
      claim,
      { run: run(), approvals: [review('approved', 'reviewer'), review('rejected', 'other')] },
      'promotion',
    );
    expect(v).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('rejection') });
  });

  it('refuses an approval of another environment only', () => {
    const v = judgeApprovalReview(
      claim,
      { run: run(), approvals: [review('approved', 'reviewer', 'other')] },
      'promotion',
    );
    expect(v).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('no decided review') });
  });

  it('refuses when GitHub answers with another run or workflow', () => {
    const other = judgeApprovalReview(
      claim,
      { run: run({ id: 43 }), approvals: [review('approved', 'reviewer')] },
      'promotion',
    );
    expect(other).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('not 42') });
    const wf = judgeApprovalReview(
      claim,
      { run: run({ path: '.github/workflows/other.yml' }), approvals: [review('approved', 'reviewer')] },
      'promotion',
    );
    expect(wf).toMatchObject({
      verdict: 'refused',
      reason: expect.stringContaining('not .github/workflows/pipeline.yml'),
    });
  });

  it('refuses when the receipt names a decider GitHub did not record', () => {
    const v = judgeApprovalReview(
      claim,
      { run: run(), approvals: [review('approved', 'reviewer')] },
      'promotion',
      'mallory',
    );
    expect(v).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('mallory') });
  });
});
