import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

type Job = {
  needs?: string[] | string;
  if?: string;
  with?: Record<string, unknown>;
  steps?: { uses?: string; with?: Record<string, unknown>; run?: string }[];
};
const pipeline = parse(readFileSync('.github/workflows/dr-pipeline.yml', 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, { default: unknown }> } };
  jobs: Record<string, Job>;
};
const drill = parse(readFileSync('.github/workflows/drill.yml', 'utf8')) as {
  on: { workflow_dispatch: { inputs: Record<string, { default: unknown }> } };
  jobs: Record<string, Job>;
};
const jobs = pipeline.jobs;
/** A GitHub Actions expression as it appears in the YAML: ${{ … }}. */
const expr = (inner: string) => `\${{ ${inner} }}`;

describe('plan-only drills (no apply, a plan bundle)', () => {
  it('is off by default and offered by the drill workflow', () => {
    expect(pipeline.on.workflow_call.inputs['plan-only']?.default).toBe(false);
    expect(drill.on.workflow_dispatch.inputs['plan-only']?.default).toBe(false);
    // A scheduled drill is never plan-only (test/workflows/scheduled-drill.test.ts).
    expect(drill.jobs.dr?.with?.['plan-only']).toBe(
      expr("github.event_name != 'schedule' && inputs.plan-only"),
    );
  });

  it('passes plan-only to bringup, so Terraform plans and applies nothing', () => {
    const step = jobs['stand-up']?.steps?.find((s) => s.uses === './actions/bringup');
    expect(step?.with?.['plan-only']).toBe(expr('inputs.plan-only'));
  });

  it('stops before the runner: recover is skipped (so everything after it is), and teardown never runs', () => {
    expect(jobs.recover?.if).toBe(expr('!inputs.plan-only'));
    expect(jobs.teardown?.if).toContain('!inputs.plan-only');
  });

  it('builds the plan bundle from the receipts only in plan mode, and uploads it', () => {
    const bundle = jobs['plan-bundle'] as Job;
    expect(bundle.if).toContain('inputs.plan-only');
    expect(bundle.needs).toEqual(['check-health', 'stand-up']);
    expect(bundle.steps?.some((s) => s.run?.includes('node dist/standby.js evidence plan'))).toBe(true);
    expect(bundle.steps?.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(jobs.failure?.needs).toContain('plan-bundle');
  });
});
