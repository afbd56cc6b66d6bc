import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

describe('npm run drill -- --json (the README main job, machine-readable)', () => {
  it('prints only JSON on stdout, so it can be piped into jq', () => {
    const result = spawnSync('npm', ['run', 'drill', '--', '--json'], { encoding: 'utf8', timeout: 180_000 });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { executionId: string; timeline: unknown[] };
    expect(report.executionId).toMatch(/^local-/);
    expect(report.timeline.length).toBeGreaterThan(0);
  }, 200_000);

  it('passes its arguments through: `npm run drill -- --target-kind eks` rehearses an eks target (README)', () => {
    const args = ['run', 'drill', '--', '--target-kind', 'eks', '--target', 'batch-eks', '--json'];
    const result = spawnSync('npm', args, { encoding: 'utf8', timeout: 180_000 });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      target: unknown;
      evidence: { verified: boolean };
      timeline: { phase: string; note: string }[];
    };
    expect(report.target).toEqual({ name: 'batch-eks', kind: 'eks' });
    expect(report.evidence.verified).toBe(true);
    expect(report.timeline.find((t) => t.phase === 'bringup')?.note).toMatch(/node group/);
  }, 200_000);
});
