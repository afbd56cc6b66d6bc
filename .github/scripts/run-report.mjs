// @ts-check
// The final job summary of a DR run: phase timeline from the execution's receipts, measured RTO
// (trigger → approval-ready) and RPO (backup age at restore), and how every job ended.
// Usage: node .github/scripts/run-report.mjs <receipts-dir>   (env: EXECUTION_ID, TRIGGER, TRIGGERED_AT, JOB_RESULTS)
// Plain Node, no dependencies: it runs on the hosted runner before anything is installed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** @param {string} dir */
export function readReceipts(dir) {
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((file) => {
      try {
        const receipt = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
        return receipt && typeof receipt.sequence === 'number' && typeof receipt.phase === 'string' ? { file, ...receipt } : undefined;
      } catch {
        return undefined;
      }
    })
    .filter(Boolean)
    .sort((a, b) => a.sequence - b.sequence);
}

/** @param {number} seconds */
export function formatDuration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

const cell = (/** @type {unknown} */ v) => String(v ?? '—').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (/** @type {unknown[]} */ cells) => `| ${cells.map(cell).join(' | ')} |`;
const ICON = { ok: '✅', failed: '❌', skipped: '⏭️', success: '✅', failure: '❌', cancelled: '🚫' };

/**
 * @param {any[]} receipts
 * @param {{ executionId: string, trigger: string, triggeredAt?: string, jobResults: Record<string, { result: string }> }} run
 */
export function renderReport(receipts, run) {
  const ms = (/** @type {string} */ t) => Date.parse(t);
  const starts = receipts.map((r) => ms(r.started_at)).filter(Number.isFinite);
  const triggerMs = run.triggeredAt && Number.isFinite(ms(run.triggeredAt)) ? ms(run.triggeredAt) : starts.length ? Math.min(...starts) : NaN;
  const ready = receipts.filter((r) => r.phase === 'request-approval' && r.status === 'ok').at(-1);
  const precheck = receipts.filter((r) => r.phase === 'restore-precheck' && r.status === 'ok').at(-1);
  const promote = receipts.filter((r) => r.phase === 'promote' && r.status === 'ok').at(-1);
  const rto = ready && Number.isFinite(triggerMs) ? (ms(ready.ended_at) - triggerMs) / 1000 : undefined;
  const rpo = precheck?.outputs?.['backup-age-hours'];

  const lines = [`## DR run \`${run.executionId}\` (${run.trigger || 'unknown trigger'})`, ''];
  lines.push(row(['Measure', 'Value']), '| --- | --- |');
  lines.push(row(['RTO (trigger → approval-ready)', rto === undefined ? 'not reached' : formatDuration(rto)]));
  lines.push(row(['RPO (backup age at restore)', rpo === undefined || rpo === '' ? 'unknown' : `${rpo} h`]));
  lines.push(row(['Trigger time (UTC)', Number.isFinite(triggerMs) ? new Date(triggerMs).toISOString() : 'unknown']));
  lines.push(row(['Promotion', promote?.outputs?.['promotion-status'] ?? 'not decided']));
  lines.push('', '### Phase timeline', '');
  if (receipts.length === 0) {
    lines.push('No receipts were found for this execution.');
  } else {
    lines.push(row(['#', 'Phase', 'Status', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Receipt']), '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of receipts) {
      const status = `${ICON[/** @type {keyof typeof ICON} */ (r.status)] ?? ''} ${r.status}`;
      const error = r.error ? ` (${r.error.reason}: ${r.error.message})` : '';
      lines.push(row([r.sequence, r.phase, status + error, r.started_at, r.ended_at, formatDuration(r.duration_ms / 1000), r.file]));
    }
  }
  const jobs = Object.entries(run.jobResults);
  if (jobs.length > 0) {
    lines.push('', '### Jobs', '', row(['Job', 'Result']), '| --- | --- |');
    for (const [job, { result }] of jobs) lines.push(row([job, `${ICON[/** @type {keyof typeof ICON} */ (result)] ?? ''} ${result}`]));
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let jobResults = {};
  try {
    jobResults = JSON.parse(process.env.JOB_RESULTS || '{}');
  } catch {
    jobResults = {};
  }
  const report = renderReport(readReceipts(process.argv[2] || 'receipts'), {
    executionId: process.env.EXECUTION_ID || 'unknown',
    trigger: process.env.TRIGGER || '',
    triggeredAt: process.env.TRIGGERED_AT || undefined,
    jobResults,
  });
  process.stdout.write(report);
}
