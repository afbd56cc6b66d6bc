import type { StoredReceipt } from '../receipts/store.js';
import { escapeMarkdown } from '../util/markdown.js';
import type { PhaseResult } from './phase.js';

const STATUS_LABEL: Record<PhaseResult['status'], string> = {
  ok: '✅ ok',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

/** Heading, the phase's own markdown, the failure (if any) and where the receipt is. */
export function renderPhaseSummary(title: string, result: PhaseResult, receipt?: StoredReceipt): string {
  const lines = [`## ${title}: ${STATUS_LABEL[result.status]}`, ''];
  if (result.summary) lines.push(result.summary, '');
  if (result.failure)
    lines.push(`**Failure** (\`${result.failure.reason}\`): ${escapeMarkdown(result.failure.message)}`, '');
  lines.push(
    receipt
      ? `Receipt: \`${receipt.uri}\` (sha256 \`${receipt.sha256.slice(0, 12)}…\`)`
      : 'Receipt: not written',
  );
  return `${lines.join('\n')}\n`;
}
