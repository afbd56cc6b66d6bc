import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { directImports } from '../helpers/import-graph.js';

// Arrows point one way (issue 21.11): the phases depend on the libraries (receipts, notifications,
// backup, failback, evidence, ...), never the reverse, so the libraries do not all sit in one import
// cycle with every phase. Only the phases themselves, the CLI, the local runner and the entry files may
// import from src/phases/.
const SRC = path.resolve('src');
const MAY_IMPORT_PHASES = [/^phases\//, /^cli\//, /^local\//, /^index\.ts$/, /^action\.ts$/];

// Edges allowed anyway, "from -> to" with the reason why. Empty: every edge that existed (notifications,
// backup, failback, operator, receipts into src/phases/) was removed. The test wants this list exact, so
// it can only shrink; adding an entry needs a reason a reviewer accepts.
const ALLOWED: Record<string, string> = {};

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.split(path.sep).join('/'));
}

/** "from -> to" for every import from below the phases into src/phases/. */
function upwardEdges(): string[] {
  const edges: string[] = [];
  for (const file of sourceFiles()) {
    if (MAY_IMPORT_PHASES.some((pattern) => pattern.test(file))) continue;
    for (const target of directImports(path.join(SRC, file))) {
      const relative = path.relative(SRC, target).split(path.sep).join('/');
      if (relative.startsWith('phases/')) edges.push(`${file} -> ${relative}`);
    }
  }
  return edges.sort();
}

describe('import layers', () => {
  it('no module below the phases imports from src/phases/ (except the listed, explained edges)', () => {
    expect(upwardEdges()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('src/ has no import cycle (before this rule, 38 files sat in one, phases and libraries together)', () => {
    expect(importCycles()).toEqual([]);
  });

  it('the check sees imports at all (a phase importing the receipt store is an edge it would follow)', () => {
    const store = path.join(SRC, 'receipts/store.ts');
    const importers = sourceFiles().filter((file) => directImports(path.join(SRC, file)).includes(store));
    expect(importers.some((file) => file.startsWith('phases/'))).toBe(true);
  });
});

/** Strongly connected components of more than one file (Tarjan), as sorted relative paths. */
function importCycles(): string[][] {
  const graph = new Map(
    sourceFiles().map((file) => [path.join(SRC, file), directImports(path.join(SRC, file))] as const),
  );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      component.push(path.relative(SRC, member));
    } while (member !== file);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
