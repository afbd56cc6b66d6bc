import { describe, expect, it } from '@jest/globals';
import type { ExecutionRow } from '../../src/operator/execution-history.js';
import { rtoTrendMermaid, rtoTrendText, sparkline } from '../../src/operator/rto-trend.js';

/** Issue 23.3: the RTO trend as text and as a Mermaid xychart, from rows newest first. */
const ROWS: ExecutionRow[] = [
  {
    executionId: 'drill-40',
    kind: 'drill',
    rtoSeconds: 300,
    budgetSeconds: 600,
    verdict: 'verified',
    why: [],
  },
  { executionId: 'alarm-30', kind: 'alarm', budgetSeconds: 600, verdict: 'failed', why: ['restore failed'] },
  {
    executionId: 'drill-20',
    kind: 'drill',
    rtoSeconds: 1200,
    budgetSeconds: 600,
    verdict: 'verified',
    why: [],
  },
  {
    executionId: 'drill-10',
    kind: 'drill',
    rtoSeconds: 600,
    budgetSeconds: 540,
    verdict: 'unverified',
    why: ['x'],
  },
];

describe('the RTO trend', () => {
  it('as text: oldest first, a bar scaled to the largest value, the budget mark at its column', () => {
    const painted: boolean[] = [];
    const lines = rtoTrendText(ROWS, (over, text) => {
      painted.push(over);
      return text;
    });
    expect(lines[0]).toContain('full width = 20m 0s');
    const [ten, twenty, forty] = lines.slice(1, 4);
    expect([ten, twenty, forty].map((l) => l?.split(' ')[0])).toEqual(['drill-10', 'drill-20', 'drill-40']);
    // 1200 s is the full 40 columns; the 600 s budget sits at column 20 of the bar.
    const bar = (line = '') => line.slice('drill-10  '.length, 'drill-10  '.length + 41);
    expect(bar(twenty)).toBe(`${'█'.repeat(20)}│${'█'.repeat(19)} `);
    expect(bar(forty)).toBe(`${'█'.repeat(10)}${' '.repeat(10)}│${' '.repeat(20)}`);
    expect(bar(ten).indexOf('│')).toBe(18);
    expect(twenty).toContain('20m 0s (2.0x the budget)');
    expect(forty).toContain('5m 0s (within budget)');
    expect(painted).toEqual([true, true, false]);
    expect(lines).toContain('sparkline  ▃█▁');
    expect(lines.at(-1)).toBe('No RTO (approval-ready never reached): alarm-30');
  });

  it('a sparkline spans the lowest to the highest value', () => {
    expect(sparkline([1, 2, 3, 8])).toBe('▁▂▃█');
    expect(sparkline([5, 5])).toBe('██');
  });

  it('as a Mermaid xychart: one bar per execution with an RTO, the budget as a line', () => {
    expect(rtoTrendMermaid(ROWS)?.split('\n')).toEqual([
      'xychart-beta',
      '  title "RTO of the last 3 execution(s) against the recovery-time budget"',
      '  x-axis ["drill-10", "drill-20", "drill-40"]',
      '  y-axis "RTO (minutes)" 0 --> 22',
      '  bar [10, 20, 5]',
      '  line [9, 10, 10]',
    ]);
    expect(rtoTrendMermaid([ROWS[1] as ExecutionRow])).toBeUndefined();
  });
});
