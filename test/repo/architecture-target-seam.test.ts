import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { KUBECTL_INVOCATION } from '../../src/runner/target-env.js';
import { TARGET_KINDS } from '../../src/targets/target.js';
import { INJECTED_VARIABLES } from '../../src/terraform/runner-contract.js';
import { findChromium, renderMermaid } from '../helpers/render-mermaid.js';

/**
 * docs/architecture.md, "Where the target seam is" (issue 22, "Proof"): one diagram of where a target's
 * kind changes what runs. It must say what the code does: the kubectl invocations are the scripts', and an
 * edge is drawn solid only once the code takes it (dotted: not built yet), so wiring the workflow's target
 * into the phases, or bringup's target_kind into Terraform, fails here until the diagram says so too.
 */
const docs = readFileSync(path.resolve('docs/architecture.md'), 'utf8');
const section = docs.slice(docs.indexOf('### Where the target seam is'));
const diagram = /```mermaid\n(flowchart[\s\S]*?)\n```/.exec(section)?.[1] ?? '';
const pipeline = readFileSync(path.resolve('.github/workflows/dr-pipeline.yml'), 'utf8');

describe('docs/architecture.md: the target seam diagram', () => {
  it('is there, after the pipeline diagram (which architecture-diagram.test.ts reads as the first)', () => {
    expect(docs.indexOf('### Where the target seam is')).toBeGreaterThan(docs.indexOf('```mermaid'));
    expect(diagram).not.toBe('');
  });

  it('names each kind’s kubectl invocation as the scripts get it, and both kinds at both seams', () => {
    for (const invocation of Object.values(KUBECTL_INVOCATION)) expect(diagram).toContain(invocation);
    for (const kind of TARGET_KINDS) {
      expect(diagram).toContain(`bringup -- ${kind} -->`);
      expect(diagram).toContain(`env -- ${kind} -->`);
    }
    expect(diagram).toContain('STANDBY_KUBECTL');
    expect(diagram).toContain('STANDBY_TARGET_KIND');
  });

  it('draws the workflow → phase inputs edge solid exactly when dr-pipeline.yml passes target-kind to a phase', () => {
    const wired = /^\s+target-kind:\s*\$\{\{/m.test(pipeline);
    expect(diagram.includes('wf --> inputs')).toBe(wired);
    expect(diagram.includes('wf -.-> inputs')).toBe(!wired);
  });

  it('draws the target → bringup edge solid exactly when bringup injects target_kind into the runner module', () => {
    const injected = (INJECTED_VARIABLES as readonly string[]).includes('target_kind');
    expect(diagram.includes('targets --> bringup')).toBe(injected);
    expect(diagram.includes('targets -.-> bringup')).toBe(!injected);
  });

  const chromium = findChromium();
  (chromium || process.env.CI ? it : it.skip)(
    'renders with mermaid in headless Chromium (as a reader sees it)',
    async () => {
      if (!chromium) throw new Error('CI is set but chromium is not installed');
      const svg = await renderMermaid(chromium, diagram);
      expect(svg).toContain('STANDBY_TARGETS');
      expect(svg).toContain('loader pod');
    },
    120_000,
  );
});
