import { describe, expect, it } from '@jest/globals';
import { axisFormat, ganttChart } from '../../src/evidence/gantt.js';
import { renderRunReport } from '../../src/evidence/run-report.js';
import { buildTimeline } from '../../src/evidence/timeline.js';
import { budgetOf, rtoBudget } from '../../src/pipeline/budget.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { formatDuration } from '../../src/util/time.js';
import { mermaidBlock, readGantt } from '../helpers/mermaid-gantt.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

let sequence = 0;
function receipt(phase: Receipt['phase'], started: string, ended: string, extra: Partial<Receipt> = {}) {
  sequence++;
  return {
    receipt: {
      ...receiptDraft({ execution_id: 'drill-9', phase, started_at: started, ended_at: ended }),
      duration_ms: Date.parse(ended) - Date.parse(started),
      attempt: 1,
      sequence,
      previous: null,
      ...extra,
    } as Receipt,
    file: `${phase}.json`,
  };
}

const GiB = 1024 ** 3;
const run = () => {
  sequence = 0;
  return [
    receipt('check-health', '2026-11-22T01:00:00Z', '2026-11-22T01:00:20Z', {
      outputs: { 'pairs-checked': 200 },
    }),
    receipt('restore-precheck', '2026-11-22T01:00:30Z', '2026-11-22T01:01:00Z', {
      outputs: {
        'backup-age-hours': 3.5,
        'backup-created-utc': '2026-11-21T21:30:00.000Z',
        integrity: [{ bytes_declared: GiB }, { bytes_declared: 1024 }],
      },
    }),
    receipt('bringup', '2026-11-22T01:01:10Z', '2026-11-22T01:09:00Z'),
    receipt('request-approval', '2026-11-22T01:20:00Z', '2026-11-22T01:20:05Z'),
    receipt('promote', '2026-11-22T03:00:00Z', '2026-11-22T03:00:02Z', {
      outputs: { 'promotion-status': 'manual_promotion_rejected' },
    }),
  ];
};

describe('the run report (report job summary and `standby evidence report`)', () => {
  it('measures RTO from the trigger to approval-ready against the budget, RPO from the backup age', () => {
    const timeline = buildTimeline('drill-9', run(), { triggeredAt: '2026-11-22T00:55:00Z' });
    const out = renderRunReport(timeline, {
      trigger: 'alarm',
      jobResults: { 'stand-up': { result: 'success' }, 'approval-gate': { result: 'failure' } },
    });
    expect(out).toContain('## DR run `drill-9` (alarm)');
    const floor = formatDuration(rtoBudget({ pairs: 200, backupBytes: GiB + 1024 }).totalSeconds);
    expect(out).toContain(`| RTO (trigger → approval-ready) | 25m 5s (floor ${floor}, `);
    expect(out).toContain('| RPO (backup age at restore) | 3.5 h |');
    expect(out).toContain('| Promotion | manual_promotion_rejected |');
    expect(out).toContain('| Gate | decided after 1h 39m 55s |');
    expect(out).toMatch(
      /\| 3 \| bringup \| ✅ ok \| 2026-11-22T01:01:10.000Z \| 2026-11-22T01:09:00.000Z \| 7m 50s \| 6.4s \|/,
    );
    expect(out).toContain('| approval-gate | ❌ failure |');
  });

  it('takes the budget of this run size from its receipts: pairs checked and the backup bytes', () => {
    const timeline = buildTimeline('drill-9', run());
    expect(timeline.budget.context).toEqual({ pairs: 200, backupBytes: GiB + 1024 });
    expect(timeline.entries.find((e) => e.phase === 'restore')).toBeUndefined();
    expect(budgetOf('restore', timeline.budget.context)).toBeCloseTo((GiB + 1024) / 625e6, 1);
    expect(budgetOf('check-health', { pairs: 5000 })).toBe(31.3);
  });

  it('starts the clock at the first receipt without a trigger time, and says when approval was never reached', () => {
    const [health, precheck] = run();
    const failed = receipt('bringup', '2026-11-22T01:01:10Z', '2026-11-22T01:02:00Z', {
      status: 'failed',
      error: { message: 'state lock held', reason: 'error' },
    });
    const out = renderRunReport(buildTimeline('drill-9', [health, precheck, failed] as never), {
      trigger: 'drill',
    });
    expect(out).toContain('| RTO (trigger → approval-ready) | not reached |');
    expect(out).toContain('| Trigger time (UTC, first receipt) | 2026-11-22T01:00:00.000Z |');
    expect(out).toContain('❌ failed (error: state lock held)');
    const chart = readGantt(mermaidBlock(out) as string);
    expect(chart.problems).toEqual([]);
    expect(chart.tasks.find((t) => t.name.startsWith('bringup'))?.tags).toEqual(['crit']);
  });

  it('says so when there are no receipts at all', () => {
    const out = renderRunReport(buildTimeline('drill-9', []), {});
    expect(out).toContain('No receipts were found for this execution.');
    expect(out).toContain('| RPO (backup age at restore) | unknown |');
    expect(readGantt(ganttChart(buildTimeline('drill-9', []))).problems).toEqual([]);
  });
});

describe('the run as a Mermaid gantt chart', () => {
  const timeline = buildTimeline('drill-9', run(), { triggeredAt: '2026-11-22T00:55:00Z' });
  const chart = readGantt(ganttChart(timeline));

  it('is valid gantt syntax: dates, sections, ids, no characters Mermaid reads as syntax', () => {
    expect(chart.problems).toEqual([]);
    expect(chart.sections).toEqual([
      'Run (UTC)',
      'Skipped or not run',
      'Budget (floor on AWS)',
      'Gate',
      'Measures',
    ]);
  });

  it("draws each phase from its receipt's start to its end, with its floor", () => {
    const bringup = chart.tasks.find((t) => t.section === 'Run (UTC)' && t.name.startsWith('bringup'));
    expect(bringup).toMatchObject({
      start: '2026-11-22T01:01:10',
      end: '2026-11-22T01:09:00',
      tags: ['done'],
    });
    expect(bringup?.name).toBe('bringup 7m 50s (floor 6.4s)');
  });

  it('lays the budget end to end from the trigger, each job starting with its overhead', () => {
    const budget = chart.tasks.filter((t) => t.section === 'Budget (floor on AWS)');
    expect(budget[0]).toMatchObject({ start: '2026-11-22T00:55:00' });
    expect(budget.map((t) => t.name.split(' ')[0])).toEqual([
      'check-health',
      'restore-precheck',
      'bringup',
      'resolve-runner',
      'restore',
      'validate',
      'notify',
      'request-approval',
    ]);
    expect(budget.filter((t) => t.name.includes('with job start')).length).toBe(3);
  });

  it("marks the gate's wait, RTO at approval-ready and RPO where precheck measured it", () => {
    expect(chart.tasks.find((t) => t.section === 'Gate')).toMatchObject({
      start: '2026-11-22T01:20:05',
      end: '2026-11-22T03:00:00',
      tags: ['done'],
    });
    const [rto, rpo] = chart.tasks.filter((t) => t.section === 'Measures');
    expect(rto).toMatchObject({
      name: 'RTO 25m 5s approval-ready',
      tags: ['milestone'],
      start: '2026-11-22T01:20:05',
    });
    expect(rpo).toMatchObject({
      name: 'RPO 3.5 h backup of 2026-11-21 21 30 UTC',
      start: '2026-11-22T01:01:00',
    });
    expect(chart.title).toContain('RTO 25m 5s against a floor of');
  });

  it('the axis format follows the span: seconds for a short run, minutes for hours, the day past one', () => {
    // This run spans 00:55 to 03:00 (budget from the trigger to the gate's end).
    expect(ganttChart(timeline)).toContain('  axisFormat %H:%M\n');
    expect([axisFormat(180), axisFormat(599), axisFormat(600), axisFormat(2 * 86_400)]).toEqual([
      '%H:%M:%S',
      '%H:%M:%S',
      '%H:%M',
      '%d %b %H:%M',
    ]);
  });

  it('draws a failed phase as critical and a skipped or missing phase as a milestone in its own section', () => {
    sequence = 0;
    const short = [
      receipt('check-health', '2026-11-22T07:35:00Z', '2026-11-22T07:35:20Z'),
      receipt('restore-precheck', '2026-11-22T07:35:30Z', '2026-11-22T07:36:00Z', { status: 'failed' }),
      receipt('bringup', '2026-11-22T07:36:01Z', '2026-11-22T07:36:01Z', { status: 'skipped' }),
    ];
    const text = ganttChart(buildTimeline('drill-9', short));
    expect(text).toContain('  axisFormat %H:%M:%S\n');
    const drawn = readGantt(text);
    expect(drawn.problems).toEqual([]);
    const ran = drawn.tasks.filter((t) => t.section === 'Run (UTC)');
    expect(ran.map((t) => [t.name.split(' ')[0], t.tags])).toEqual([
      ['check-health', ['done']],
      ['restore-precheck', ['crit']],
    ]);
    const notRun = drawn.tasks.filter((t) => t.section === 'Skipped or not run');
    expect(notRun.every((t) => t.tags.includes('milestone'))).toBe(true);
    expect(notRun.map((t) => t.name.split(' ').slice(0, 2).join(' '))).toEqual([
      'bringup skipped',
      'resolve-runner not',
      'restore not',
      'validate not',
      'notify not',
      'request-approval not',
    ]);
  });

  it('the reader is strict: it rejects what Mermaid would misread', () => {
    const bad = [
      'gantt',
      '  dateFormat YYYY-MM-DDTHH:mm:ss',
      '  section Run',
      '  check: health :done, r1, 2026-11-22T01:00:00, 2026-11-22T01:00:20',
      '  restore :done, r1, 2026-11-22T01:00:00Z, 2026-11-22T01:00:20',
      '  x :milestone, m1, 2026-11-22T01:00:00, 2026-11-22T01:00:20',
      '  y :done, r3, 2026-11-22T01:00:20, 2026-11-22T01:00:00',
    ].join('\n');
    expect(readGantt(bad).problems.length).toBeGreaterThanOrEqual(5);
  });
});
