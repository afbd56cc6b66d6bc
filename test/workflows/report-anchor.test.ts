import { describe, expect, it } from '@jest/globals';
import { type Job, loadWorkflows, localPhase, type Step } from './load.js';

/**
 * The report job anchors the evidence chain outside the bucket (docs/evidence.md): the chain head in the
 * job summary and a signed artifact attestation of the bundle.
 * Facts: actions/attest v4.2.2 is commit 1e69f48acb82d1966a394da916b4c1698aa569d6 (tag in
 * github.com/actions/attest); it needs `id-token: write` (Sigstore certificate from the OIDC token) and
 * `attestations: write` (to persist it); `artifact-metadata: write` only for storage records, which need
 * push-to-registry. Subject names from subject-path are the files' base names. A reusable workflow cannot
 * exceed its caller job's permissions (the run does not start), so every caller grants them too.
 */
const workflows = loadWorkflows();
const pipeline = workflows.find((w) => w.file === 'dr-pipeline.yml');
const report = pipeline?.jobs.report as Job;
const steps = report.steps ?? [];
const index = (match: (s: Step) => boolean) => steps.findIndex(match);
const ATTEST = 'actions/attest@1e69f48acb82d1966a394da916b4c1698aa569d6';

describe('report job: the chain anchored outside the bucket', () => {
  it('has exactly the permissions the attestation needs, and every caller grants them', () => {
    expect(report.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    const callers = workflows.flatMap((w) =>
      Object.entries(w.jobs)
        .filter(([, j]) => j.uses === './.github/workflows/dr-pipeline.yml')
        .map(([name, j]) => ({
          where: `${w.file}:${name}`,
          attestations: (j.permissions as Record<string, string>)?.attestations,
        })),
    );
    expect(callers.length).toBeGreaterThanOrEqual(3);
    for (const caller of callers) expect(caller).toEqual({ where: caller.where, attestations: 'write' });
  });

  it('collects the bundle after the last receipt of the run (drill-complete) and publishes its head', () => {
    const drillComplete = index((s) => localPhase(s.uses) === 'notify');
    const collect = index((s) => s.id === 'collect');
    const head = index((s) => s.id === 'head');
    expect(drillComplete).toBeGreaterThanOrEqual(0);
    expect(drillComplete).toBeLessThan(collect);
    expect(collect).toBeLessThan(head);
    expect(steps[collect]?.run).toMatch(/node dist\/standby\.js evidence collect .* --out evidence/s);
    expect(steps[head]?.run).toContain(
      'node dist/standby.js evidence head evidence >> "$GITHUB_STEP_SUMMARY"',
    );
    expect(
      index((s) => s.run?.includes('dist/standby.js evidence report evidence ') ?? false),
    ).toBeGreaterThan(collect);
  });

  it('attests the manifest and every receipt with actions/attest pinned by full commit SHA (v4.2.2)', () => {
    const attest = steps.find((s) => s.id === 'attest');
    expect(attest?.uses).toBe(ATTEST);
    expect(pipeline?.text).toContain(`uses: ${ATTEST} # v4.2.2`);
    expect(String(attest?.with?.['subject-path']).trim().split('\n')).toEqual([
      'evidence/manifest.json',
      'evidence/receipts/*.json',
    ]);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path).trim().split('\n')).toEqual(['evidence/', 'anchor/']);
  });
});
