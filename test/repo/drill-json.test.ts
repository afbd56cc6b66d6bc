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
});
