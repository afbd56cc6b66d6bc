// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and workflow interpolations such as ${X} are literal strings here
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  EXECUTION_ID_PREFIX_BY_WORKFLOW,
  executionIdForRun,
  PIPELINE_DEFAULT_PREFIX,
} from '../../src/operator/execution-id.js';
import { fill } from './expressions.js';

const workflow = (file: string) => parse(readFileSync(`.github/workflows/${file}`, 'utf8'));

describe('execution ids the CLI expects are the ones the workflows set', () => {
  it.each(Object.entries(EXECUTION_ID_PREFIX_BY_WORKFLOW))(
    '%s passes %s-<run id> to the pipeline for target default, %s-<target>-<run id> for another',
    (file, prefix) => {
      const call = Object.values(
        workflow(file).jobs as Record<string, { uses?: string; with?: Record<string, string> }>,
      ).find((job) => job.uses?.endsWith('dr-pipeline.yml'));
      const idFor = (target: string) =>
        fill(call?.with?.['execution-id'], {
          github: { run_id: '7' },
          matrix: { target },
          needs: { alarm: { outputs: { target } } },
        });
      expect(idFor('default')).toBe(`${prefix}-7`);
      expect(idFor('default')).toBe(executionIdForRun({ id: 7, path: `.github/workflows/${file}` }));
      expect(idFor('orders')).toBe(`${prefix}-orders-7`);
      expect(idFor('orders')).toBe(executionIdForRun({ id: 7, path: `.github/workflows/${file}` }, 'orders'));
    },
  );

  it('the pipeline defaults to dr-<run id> (dr-<target>-<run id>); freshness-started runs pass none', () => {
    const text = readFileSync('.github/workflows/dr-pipeline.yml', 'utf8');
    expect(text).toContain(`fallback="${PIPELINE_DEFAULT_PREFIX}-$RUN_ID"`);
    expect(text).toContain(`fallback="${PIPELINE_DEFAULT_PREFIX}-$TARGET-$RUN_ID"`);
    expect(text).toContain('${GIVEN_ID:-$fallback}');
    const dr = workflow('freshness-target.yml').jobs.dr as { with?: Record<string, string> };
    expect(dr.with?.['execution-id']).toBeUndefined();
  });

  it('maps a run to its execution id from its workflow path (and its target)', () => {
    expect(executionIdForRun({ id: 7, path: '.github/workflows/drill.yml' })).toBe('drill-7');
    expect(executionIdForRun({ id: 7, path: '.github/workflows/alarm.yml@refs/heads/main' })).toBe('alarm-7');
    expect(executionIdForRun({ id: 7, path: '.github/workflows/freshness.yml' })).toBe('dr-7');
    expect(executionIdForRun({ id: 7, path: '.github/workflows/freshness.yml' }, 'orders')).toBe(
      'dr-orders-7',
    );
  });
});
