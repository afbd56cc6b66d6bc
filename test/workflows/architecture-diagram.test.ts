import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadWorkflows, type Workflow } from './load.js';
import { ancestorsOf } from './simulate.js';

/**
 * docs/architecture.md draws dr-pipeline.yml's jobs as a Mermaid flowchart. It may leave out edges implied
 * by others (recover needs check-health, reached through stand-up), but every job must be a node and be
 * reached from exactly the jobs it needs, directly or not: a moved job or a new dependency fails here.
 */
const pipeline = loadWorkflows().find((w) => w.file === 'dr-pipeline.yml') as Workflow;
const docs = readFileSync(path.resolve('docs/architecture.md'), 'utf8');
const diagram = /```mermaid\n(flowchart[\s\S]*?)\n```/.exec(docs)?.[1] ?? '';

function edges(text: string): [string, string][] {
  const found: [string, string][] = [];
  for (const line of text.split('\n')) {
    const nodes = line.trim().split(/\s*(?:-->|-\.->)\s*/);
    if (nodes.length < 2) continue;
    for (let i = 1; i < nodes.length; i++) found.push([nodes[i - 1] as string, nodes[i] as string]);
  }
  return found.map(([a, b]) => [a.replace(/_/g, '-'), b.replace(/_/g, '-')]);
}

describe('docs/architecture.md: the pipeline and its jobs as a Mermaid diagram', () => {
  const drawn = edges(diagram);
  const nodes = new Set(
    [...diagram.matchAll(/^\s{2}([a-z_]+)[[{]/gm)].map((m) => (m[1] as string).replace(/_/g, '-')),
  );
  const reachedFrom = (job: string) => {
    const found = new Set<string>();
    const walk = (to: string) => {
      for (const [from, target] of drawn)
        if (target === to && !found.has(from)) {
          found.add(from);
          walk(from);
        }
    };
    walk(job);
    return [...found].sort();
  };

  it('has a node for every job and no other', () => {
    expect(diagram).not.toBe('');
    expect([...nodes].sort()).toEqual(Object.keys(pipeline.jobs).sort());
  });

  it('reaches each job from exactly the jobs it needs, directly or through others', () => {
    for (const job of Object.keys(pipeline.jobs))
      expect({ job, from: reachedFrom(job) }).toEqual({ job, from: ancestorsOf(pipeline, job).sort() });
  });
});
