import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  EXECUTION_ID_PREFIX_BY_WORKFLOW,
  executionIdForRun,
  PIPELINE_DEFAULT_PREFIX,
} from '../../src/operator/execution-id.js';

const workflow = (file: string) => parse(readFileSync(`.github/workflows/${file}`, 'utf8'));

describe('execution ids the CLI expects are the ones the workflows set', () => {
  it.each(Object.entries(EXECUTION_ID_PREFIX_BY_WORKFLOW))(
    '%s passes %s-<run id> to the pipeline',
    (file, prefix) => {
      const call = Object.values(
        workflow(file).jobs as Record<string, { uses?: string; with?: Record<string, string> }>,
      ).find((job) => job.uses?.endsWith('dr-pipeline.yml'));
      expect(call?.with?.['execution-id']).toBe(`${prefix}-\${{ github.run_id }}`);
    },
  );

  it('the pipeline defaults to dr-<run id> (freshness-started runs pass none)', () => {
    const text = readFileSync('.github/workflows/dr-pipeline.yml', 'utf8');
    expect(text).toContain(`\${GIVEN_ID:-${PIPELINE_DEFAULT_PREFIX}-$RUN_ID}`);
    const dr = workflow('freshness.yml').jobs.dr as { with?: Record<string, string> };
    expect(dr.with?.['execution-id']).toBeUndefined();
  });

  it('maps a run to its execution id from its workflow path', () => {
    expect(executionIdForRun({ id: 7, path: '.github/workflows/drill.yml' })).toBe('drill-7');
    expect(executionIdForRun({ id: 7, path: '.github/workflows/alarm.yml@refs/heads/main' })).toBe('alarm-7');
    expect(executionIdForRun({ id: 7, path: '.github/workflows/freshness.yml' })).toBe('dr-7');
  });
});
