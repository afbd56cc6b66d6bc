import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { PINNED_PRICES } from '../../src/cost/price-table.js';
import { PIPELINE_PHASES } from '../../src/receipts/envelope.js';
import { useEmulator } from '../helpers/emulator.js';
import { collectGolden, makeGoldenRun } from '../helpers/golden-bundle.js';
import { mermaidBlock, readGantt } from '../helpers/mermaid-gantt.js';

useEmulator();
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(join(dir, '..'), { recursive: true, force: true });
});

function capture(): Terminal & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, color: false, out: (t) => lines.push(t), err: (t) => errors.push(t) };
}

/** The report job's chart, rendered from real receipts: the golden drill the project's own phases write. */
describe('`standby evidence report` over a collected bundle', () => {
  it('draws every receipt of the run as a valid Mermaid gantt chart, with the budget and the measures', async () => {
    const dir = await collectGolden(await makeGoldenRun());
    dirs.push(dir);
    const term = capture();
    const code = await runCli(
      [
        'evidence',
        'report',
        dir,
        '--trigger',
        'drill',
        '--job-results',
        '{"recover": {"result": "success"}}',
      ],
      term,
    );
    expect({ code, errors: term.errors }).toEqual({ code: 0, errors: [] });
    const markdown = term.lines.join('\n');
    expect(markdown).toContain('## DR run `drill-golden` (drill)');
    expect(markdown).toContain('| recover | ✅ success |');
    const chart = readGantt(mermaidBlock(markdown) ?? '');
    expect(chart.problems).toEqual([]);
    const run = chart.tasks.filter((t) => t.section === 'Run (UTC)').map((t) => t.name.split(' ')[0]);
    expect([...run].sort()).toEqual([...PIPELINE_PHASES].sort());
    expect(chart.sections).toEqual(['Run (UTC)', 'Budget (floor on AWS)', 'Gate', 'Measures']);
    expect(chart.tasks.some((t) => t.section === 'Measures' && t.name.startsWith('RTO '))).toBe(true);
    // The cost, from the same receipts with the pinned table (the report receipt's own figure).
    expect(markdown).toContain('### Cost');
    expect(markdown).toMatch(/\*\*Cost: (\$[0-9.]+|unpriced \(.+\))\*\*/);
  });

  it('--price-table prices with the given table and names it', async () => {
    const dir = await collectGolden(await makeGoldenRun());
    dirs.push(dir);
    const file = join(dir, '..', 'prices.json');
    await writeFile(file, JSON.stringify({ ...PINNED_PRICES, date: '2027-01-01' }));
    const term = capture();
    expect(await runCli(['evidence', 'report', dir, '--price-table', file], term)).toBe(0);
    expect(term.lines.join('\n')).toContain(`prices of 2027-01-01 from ${file}`);
  });

  it('--price-table that cannot be read is a usage error naming the file', async () => {
    const dir = await collectGolden(await makeGoldenRun());
    dirs.push(dir);
    const term = capture();
    expect(await runCli(['evidence', 'report', dir, '--price-table', '/nonexistent/prices.json'], term)).toBe(
      2,
    );
    expect(term.errors.join('\n')).toContain('cannot read the price table /nonexistent/prices.json');
  });

  it('still reports, without a chart, when the collection failed and there is no bundle', async () => {
    const term = capture();
    const code = await runCli(
      ['evidence', 'report', '/nonexistent/evidence', '--execution-id', 'drill-1'],
      term,
    );
    expect(code).toBe(0);
    expect(term.lines.join('\n')).toContain('No receipts were found for this execution.');
  });

  it('refuses a trigger time that is not a time', async () => {
    const term = capture();
    expect(await runCli(['evidence', 'report', '/nonexistent', '--triggered-at', 'yesterday'], term)).toBe(2);
  });
});
