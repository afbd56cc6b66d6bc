import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { KUBECTL_INVOCATION } from '../../src/runner/target-env.js';
import { TARGET_KINDS } from '../../src/targets/target.js';
import { TARGET_KIND_VARIABLE, targetVariables } from '../../src/terraform/runner-contract.js';
import { findChromium, renderMermaid } from '../helpers/render-mermaid.js';

/**
 * docs/architecture.md, "Where the target seam is" (issue 22, "Proof"): one diagram of where a target's
 * kind changes what runs. It must say what the code does: the kubectl invocations are the scripts', and the
 * edges from the workflow to the phases' inputs and from the inputs to bringup's target_kind are drawn
 * solid exactly while the code takes them (dotted would mean: not built yet).
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

  it('draws the phase inputs → bringup edge solid exactly when bringup injects target_kind from the target', () => {
    const bringup = readFileSync(path.resolve('src/phases/bringup/run.ts'), 'utf8');
    // bringup spreads the target's variables (targetVariables), which carry target_kind from the kind.
    const injected =
      /\.\.\.targetVariables\(ctx\.target\)/.test(bringup) &&
      targetVariables({ name: 'orders', kind: 'eks' })[TARGET_KIND_VARIABLE] === 'eks';
    expect(TARGET_KIND_VARIABLE).toBe('target_kind');
    expect(diagram.includes('inputs --> bringup')).toBe(injected);
    expect(diagram.includes('inputs -.-> bringup')).toBe(!injected);
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
