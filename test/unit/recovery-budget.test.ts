import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  budgetOf,
  RECOVERY_BUDGET,
  REFERENCE_RUN,
  renderBudgetSources,
  renderBudgetTable,
  rtoBudget,
} from '../../src/pipeline/budget.js';
import { JOBS_BEFORE_GATE, PIPELINE_JOBS } from '../../src/pipeline/jobs.js';
import { PIPELINE_PHASES } from '../../src/receipts/envelope.js';

const benchmarks = readFileSync(path.resolve('docs/benchmarks.md'), 'utf8');
const beforeGate = PIPELINE_PHASES.slice(0, PIPELINE_PHASES.indexOf('request-approval') + 1);

describe('the recovery-time budget (one table: docs, status and the chart read it)', () => {
  it('has a line for every phase before the gate, in pipeline order', () => {
    expect(RECOVERY_BUDGET.map((b) => b.phase)).toEqual([...beforeGate]);
    const jobs = JOBS_BEFORE_GATE.flatMap((job) => PIPELINE_JOBS[job]);
    expect(jobs).toEqual([...beforeGate]);
  });

  it('docs/benchmarks.md carries the table and its sources exactly as the code has them', () => {
    expect(benchmarks).toContain(renderBudgetTable());
    expect(benchmarks).toContain(renderBudgetSources());
  });

  it('scales with the run: pairs for check-health, backup bytes for restore', () => {
    expect(budgetOf('check-health', { pairs: 200 })).toBe(1.3);
    expect(budgetOf('check-health', { pairs: 5000 })).toBe(31.3);
    expect(budgetOf('restore', { backupBytes: 10 * 1024 ** 3 })).toBe(17.2);
    expect(rtoBudget(REFERENCE_RUN).totalSeconds).toBeGreaterThan(rtoBudget({ pairs: 200 }).totalSeconds);
  });

  it('every floor above zero names its source; a zero floor says none was published', () => {
    for (const budget of RECOVERY_BUDGET) {
      const seconds = budget.seconds(REFERENCE_RUN);
      expect({
        phase: budget.phase,
        sourced: seconds > 0 ? budget.sources.length > 0 : budget.floor === 'none published',
      }).toEqual({
        phase: budget.phase,
        sourced: true,
      });
    }
  });
});
