import { describe, expect, it } from '@jest/globals';
import { judgeOutOfRun, type OutOfRunReceipt } from '../../src/evidence/source-proof.js';
import type { WorkflowRun } from '../../src/github/types.js';

// The pure out-of-run source judge (issue 19.2): GitHub's run record decides, no I/O.
const teardown: OutOfRunReceipt = {
  path: 'receipts/x/0005-teardown.json',
  phase: 'teardown',
  runId: '77',
  workflow: 'teardown.yml',
  repository: 'acme/standby',
};

function run(over: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: 77,
    name: 'teardown',
    run_number: 1,
    event: 'workflow_dispatch',
    status: 'completed',
    conclusion: 'success',
    workflow_id: 9,
    path: '.github/workflows/teardown.yml',
    head_sha: 'b'.repeat(40),
    head_branch: 'main',
    html_url: 'https://github.com/acme/standby/actions/runs/77',
    created_at: '2026-12-04T00:00:00Z',
    updated_at: '2026-12-04T00:00:00Z',
    ...over,
  } as WorkflowRun;
}

const judge = (lookup: Parameters<typeof judgeOutOfRun>[1]) => judgeOutOfRun([teardown], lookup);
const proofs = (r: WorkflowRun) => ({ runs: { '77': { run: r } }, protectedBranch: 'main' });

describe('judgeOutOfRun', () => {
  it('without GitHub access an out-of-run receipt is a problem (never verified)', () => {
    expect(judge(undefined).problems.map((p) => p.code)).toEqual(['receipt-source-unproven']);
  });

  it('a run GitHub confirms (workflow, protected branch, success) is a note, not a problem', () => {
    const v = judge(proofs(run()));
    expect(v.problems).toEqual([]);
    expect(v.notes.map((n) => n.code)).toEqual(['receipt-out-of-run']);
  });

  it.each([
    [
      'a missing run',
      { runs: { '77': { missing: 'run 77 not found (404)' } }, protectedBranch: 'main' },
      '404',
    ],
    ['a run never looked up', { runs: {}, protectedBranch: 'main' }, 'not looked up'],
    [
      'another workflow',
      proofs(run({ path: '.github/workflows/drill.yml' })),
      'not .github/workflows/teardown.yml',
    ],
    ['another branch', proofs(run({ head_branch: 'evil' })), "not on the protected branch 'main'"],
    ['a failed run', proofs(run({ conclusion: 'failure' })), "concluded 'failure'"],
    ['a run still going', proofs(run({ status: 'in_progress', conclusion: null })), 'is in_progress'],
  ])('%s is a problem', (_name, lookup, reason) => {
    const v = judge(lookup);
    expect(v.notes).toEqual([]);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0].message).toContain(reason);
  });
});
