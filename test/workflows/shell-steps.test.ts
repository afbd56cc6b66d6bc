import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadWorkflows } from './load.js';

/** Runs a workflow's `run:` step with bash the way the runner does (env from the step, output files). */
function runStep(file: string, job: string, env: Record<string, string>) {
  const workflow = loadWorkflows().find((w) => w.file === file);
  const script = workflow?.jobs[job]?.steps?.find((s) => s.run)?.run;
  if (!script) throw new Error(`${file}:${job} has no run step`);
  const dir = mkdtempSync(path.join(tmpdir(), 'step-'));
  const output = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const run = spawnSync('bash', ['-e', '-c', script], {
    encoding: 'utf8',
    cwd: dir,
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  return { status: run.status, stdout: run.stdout, outputs, summary: readFileSync(summary, 'utf8'), dir };
}

describe('alarm.yml input check', () => {
  const bridge = { ALARM_NAME: 'standby-freshness', ALARM_CHANGED_AT: '2026-11-22T01:00:00Z' };

  it("starts DR for the bridge's dispatch (name and changed-at only: the bridge forwards ALARM only)", () => {
    const step = runStep('alarm.yml', 'alarm', { ...bridge, TRIGGERS: 'true' });
    expect(step.status).toBe(0);
    expect(step.outputs).toEqual({
      'triggered-at': '2026-11-22T01:00:00Z',
      start: 'true',
      target: 'default',
    });
    expect(step.summary).toContain('| Name | standby-freshness |');
    expect(step.summary).toContain('Triggers are on');
  });

  it('says the pipeline stops after check-health while triggers are off', () => {
    const step = runStep('alarm.yml', 'alarm', { ...bridge, ALARM_STATE: 'ALARM' });
    expect(step.outputs.start).toBe('true');
    expect(step.summary).toContain("STANDBY_ENABLE_TRIGGERS is not 'true'");
  });

  it('records OK and INSUFFICIENT_DATA without starting anything', () => {
    const step = runStep('alarm.yml', 'alarm', { ...bridge, ALARM_STATE: 'OK', TRIGGERS: 'true' });
    expect(step.outputs.start).toBe('false');
    expect(step.summary).toContain('Not an ALARM transition');
  });

  it("the bridge smoke test (dry-run 'true') records the dispatch and starts nothing, even with triggers on", () => {
    const step = runStep('alarm.yml', 'alarm', {
      ALARM_NAME: 'standby-bridge-smoke-test',
      ALARM_CHANGED_AT: '2026-12-01T09:00:00Z',
      DRY_RUN: 'true',
      TRIGGERS: 'true',
    });
    expect(step.status).toBe(0);
    expect(step.outputs).toEqual({ start: 'false', target: 'default' });
    expect(step.summary).toContain('Bridge smoke test');
    expect(step.summary).toContain('2026-12-01T09:00:00Z');
    expect(step.summary).not.toContain('Triggers are on');
  });

  it("a real alarm (dry-run 'false', what the bridge sends) still starts; any other dry-run value is refused", () => {
    const real = runStep('alarm.yml', 'alarm', { ...bridge, DRY_RUN: 'false', TRIGGERS: 'true' });
    expect(real.outputs.start).toBe('true');
    const bad = runStep('alarm.yml', 'alarm', { ...bridge, DRY_RUN: 'yes', TRIGGERS: 'true' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("dry-run must be 'true' or 'false'");
    expect(bad.outputs.start).toBeUndefined();
  });

  it('refuses an unknown state, a missing or malformed time, and disagreeing times', () => {
    expect(runStep('alarm.yml', 'alarm', { ...bridge, ALARM_STATE: 'alarm!' }).status).toBe(1);
    expect(runStep('alarm.yml', 'alarm', { ALARM_NAME: 'x' }).stdout).toContain('must be ISO-8601');
    expect(runStep('alarm.yml', 'alarm', { ALARM_NAME: 'x', ALARM_TIME: 'yesterday' }).status).toBe(1);
    const both = runStep('alarm.yml', 'alarm', { ...bridge, ALARM_TIME: '2026-11-22T02:00:00Z' });
    expect(both.status).toBe(1);
    expect(both.stdout).toContain('disagree');
  });

  it('treats alarm text as data: no command substitution, table cells stay intact', () => {
    const step = runStep('alarm.yml', 'alarm', {
      ...bridge,
      ALARM_NAME: 'a|b $(touch pwned)',
      ALARM_REASON: '`touch pwned2`',
    });
    expect(step.status).toBe(0);
    expect(existsSync(path.join(step.dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(step.dir, 'pwned2'))).toBe(false);
    expect(step.summary).toContain('| Name | a\\|b $(touch pwned) |');
  });
});

describe('teardown.yml confirmation', () => {
  it('goes on only when the execution id is typed again exactly', () => {
    expect(
      runStep('teardown.yml', 'confirm', { EXECUTION_ID: 'alarm-123', CONFIRM: 'alarm-123' }).status,
    ).toBe(0);
    const mismatch = runStep('teardown.yml', 'confirm', { EXECUTION_ID: 'alarm-123', CONFIRM: 'alarm-124' });
    expect(mismatch.status).toBe(1);
    expect(mismatch.stdout).toContain('nothing destroyed');
    expect(runStep('teardown.yml', 'confirm', { EXECUTION_ID: '../x', CONFIRM: '../x' }).status).toBe(1);
  });
});
