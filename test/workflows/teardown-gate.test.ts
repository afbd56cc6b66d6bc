import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fromWorkflow } from '../../src/io/input-spec.js';
import { type Job, loadWorkflows, type Workflow } from './load.js';
import { simulate } from './simulate.js';

/**
 * Issue 20.3: one person cannot end a real DR standby. teardown.yml sends every execution that is not a
 * drill through a reviewed environment (Terraform's teardown_environment: required reviewers,
 * prevent_self_review, no admin bypass) after the typed confirmation; a drill tears down on the
 * confirmation alone. These tests play the workflow file through simulate.ts (GitHub's rules for if:
 * and needs) and run the kind step's own script.
 */
const teardownYml = loadWorkflows().find((w) => w.file === 'teardown.yml') as Workflow;
const job = (name: string) => teardownYml.jobs[name] as Job;

function kindOf(executionId: string): string {
  const script = job('confirm').steps?.find((s) => s.id === 'kind')?.run as string;
  const dir = mkdtempSync(path.join(tmpdir(), 'teardown-kind-'));
  const output = path.join(dir, 'output');
  writeFileSync(output, '');
  const run = spawnSync('bash', ['-e', '-c', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
      EXECUTION_ID: executionId,
    },
  });
  expect(run.status).toBe(0);
  return readFileSync(output, 'utf8').trim();
}

const play = (kind: string, gate?: 'success' | 'failure' | 'cancelled') =>
  simulate(teardownYml, {
    inputs: { 'execution-id': 'x', confirm: 'x' },
    outputs: { kind: { kind } },
    ...(gate ? { jobs: { 'approval-gate': { result: gate } } } : {}),
  });

describe('teardown.yml: a real-DR standby needs a second person (issue 20.3)', () => {
  it('the kind comes from the execution id: only drill-<run id> is a drill', () => {
    expect(kindOf('drill-123456')).toBe('kind=drill');
    for (const id of ['alarm-123456', 'dr-123456', 'freshness-1', 'local-20261204', 'xdrill-1'])
      expect(kindOf(id)).toBe('kind=dr');
  });

  it('the gate runs in the teardown environment from a repository variable, holds no permissions', () => {
    const gate = job('approval-gate');
    expect(gate.environment).toEqual({
      name: fromWorkflow("vars.STANDBY_TEARDOWN_ENVIRONMENT || 'standby-teardown'"),
    });
    expect(gate.permissions).toEqual({});
    const dispatch = teardownYml.on.workflow_dispatch as { inputs: Record<string, unknown> };
    expect(Object.keys(dispatch.inputs)).not.toContain('environment');
  });

  it('real DR: destroys only after the gate approves', () => {
    expect(play('dr', 'success').teardown?.result).toBe('success');
    expect(play('dr', 'success')['approval-gate']?.result).toBe('success');
  });

  it('real DR: a rejected or cancelled gate destroys nothing', () => {
    expect(play('dr', 'failure').teardown?.result).toBe('skipped');
    expect(play('dr', 'cancelled').teardown?.result).toBe('skipped');
  });

  it('a drill skips the gate and tears down on the confirmation alone', () => {
    const runs = play('drill');
    expect(runs['approval-gate']?.result).toBe('skipped');
    expect(runs.teardown?.result).toBe('success');
  });

  it('a failed confirmation destroys nothing, drill or not', () => {
    for (const kind of ['drill', 'dr']) {
      const runs = simulate(teardownYml, {
        inputs: { 'execution-id': 'x', confirm: 'y' },
        steps: { confirmation: 'failure' },
        outputs: { kind: { kind } },
      });
      expect(runs.teardown?.result).toBe('skipped');
    }
  });
});
