import type { DrillCost } from '../../cost/estimate.js';
import { costInWords } from '../../cost/render.js';
import type { ReviewerSummary } from '../../operator/reviewer-summary.js';
import { renderReviewPreview } from '../../preview/render.js';
import { escapeMarkdown, markdownTable } from '../../util/markdown.js';
import { formatDuration } from '../../util/time.js';

const show = (value: unknown) =>
  value === null || value === undefined || value === '' ? '—' : String(value);

/** The reviewer summary as markdown: what to check before approving, then the evidence links. */
export function renderReviewerSummary(summary: ReviewerSummary): string {
  const facts = [
    ['Execution', summary.execution_id],
    ['Target', summary.target ? `${summary.target.name} (${summary.target.kind})` : '—'],
    ['Runner instance', show(summary.instance_id)],
    ['Image', show(summary.image_ref)],
    ['Image digest', summary.image_digest ?? (summary.image_ref ? '⚠️ not pinned by digest' : '—')],
    ['Backup', show(summary.backup.uri)],
    ['Backup created (UTC)', show(summary.backup.created_utc)],
    ['Backup age (RPO)', summary.rpo_hours === null ? '—' : `${summary.rpo_hours} h`],
    ['Images in the backup', backupImages(summary)],
    [
      'Held until activation',
      summary.held && summary.held.length > 0
        ? `${summary.held.length}: ${summary.held.join(', ')} (nothing runs by itself before activation)`
        : '—',
    ],
    ['Validation', show(summary.validation.result)],
    ['Validation job run', show(summary.validation.job_run_id)],
    [
      'Trigger → approval-ready (RTO)',
      summary.rto_seconds === null ? '—' : formatDuration(summary.rto_seconds),
    ],
  ];
  if (summary.cost_so_far)
    facts.push(['Cost so far (runner counted to now)', costSoFar(summary.cost_so_far)]);
  const lines = [
    `Waiting for a reviewer of environment **${escapeMarkdown(summary.environment)}**. Approving records the decision only: nothing is promoted automatically.`,
    '',
    markdownTable(['Check', 'Value'], facts),
  ];
  if (summary.missing.length > 0) {
    lines.push(
      '',
      `⚠️ **Missing evidence**: no receipt for ${summary.missing.join(', ')}. Ask before approving.`,
    );
  }
  if (summary.restore_preview) lines.push('', renderReviewPreview(summary.restore_preview));
  const release = Object.entries(summary.release_metadata);
  if (release.length > 0) {
    lines.push(
      '',
      '**Release**',
      '',
      markdownTable(
        ['Field', 'Value'],
        release.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    );
  }
  if (summary.receipts.length > 0) {
    const rows = summary.receipts.map((r) => [
      r.phase,
      r.status,
      r.console_url ? `[${r.uri}](${r.console_url})` : `\`${r.uri}\``,
      `\`${r.sha256.slice(0, 12)}…\``,
    ]);
    lines.push('', '**Receipts**', '', markdownTable(['Phase', 'Status', 'Receipt', 'sha256'], rows));
  }
  return lines.join('\n');
}

/** The cost in one cell: the figure (or why it is unpriced), the runner's hours and the table's date. */
function costSoFar(cost: DrillCost): string {
  const runner = cost.lines[0];
  const hours = runner ? `${runner.quantity} ${runner.unit}` : '';
  return `${costInWords(cost)}: ${cost.instance_type ?? 'no runner type'}, ${hours} (prices of ${cost.price_table.date})`;
}

/** The images the restored workloads run, so a reviewer can match them against the release they expect. */
function backupImages(summary: ReviewerSummary): string {
  // Summaries read back from receipts written before this field existed have none (standby approve).
  const digests = summary.backup.image_digests ?? [];
  if (digests.length === 0) return summary.backup.uri ? 'none recorded in metadata.json' : '—';
  return digests.map((digest) => `\`${digest}\``).join('<br>');
}
