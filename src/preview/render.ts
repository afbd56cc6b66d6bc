import { escapeMarkdown, markdownTable } from '../util/markdown.js';
import { describeHold, type PreviewDiff, type RestorePreview, type ReviewPreview } from './summary.js';

const code = (text: string) => `\`${text}\``;

/** The preview as markdown: what the restore applies (or why it would refuse), then the diff. */
export function renderRestorePreview(preview: RestorePreview): string {
  const plan = preview.plan;
  const lines = [
    `**Restore preview** of ${code(preview.backup_uri)} into namespace ${code(preview.namespace)}`,
    '',
  ];
  if ('error' in plan) {
    lines.push(`⚠️ The restore would refuse this backup: ${escapeMarkdown(plan.error)}`);
    return lines.join('\n');
  }
  if (plan.state)
    lines.push(
      `State claim ${code(plan.state.claim)}: ${plan.state.size} (${plan.state.access_modes.join(', ')}) ${plan.state.volume === null ? `on a new volume of storage class ${code(plan.state.storage_class ?? '')}` : `on volume ${code(plan.state.volume)}`}, mounted by ${plan.claimants.join(', ')}`,
      '',
    );
  if (plan.cluster_owned?.length)
    lines.push(
      `Left to the cluster, which must already have them (outside the runner's namespace-scoped access): ${plan.cluster_owned.map(code).join(', ')}`,
      '',
    );
  if (plan.pinning)
    lines.push(
      `Every workload pinned to this execution's node group: node selector ${code(JSON.stringify(plan.pinning.node_selector))}, toleration ${code(JSON.stringify(plan.pinning.toleration))}`,
      '',
    );
  const rows = plan.objects.map((o) => [
    o.kind,
    escapeMarkdown(`${o.namespace ?? ''}${o.namespace ? '/' : ''}${o.name}`),
    o.images.map(code).join('<br>') || '—',
    describeHold(o) || '—',
  ]);
  lines.push(
    `${plan.objects.length} objects, in the order they are applied:`,
    '',
    markdownTable(['Kind', 'Namespace/name', 'Images', 'Held'], rows),
  );
  if (preview.unpinned.length > 0)
    lines.push('', `⚠️ Not pinned by digest: ${preview.unpinned.map(code).join(', ')}`);
  lines.push('', ...renderDiff(preview.diff));
  return lines.join('\n');
}

function renderDiff(diff: PreviewDiff | null): string[] {
  if (!diff) return ['No verified restore of this deployment to compare with.'];
  const lines = [`**Against the last verified restore** (${code(diff.against)}):`, ''];
  const list = (items: string[]) => (items.length > 0 ? items.map(code).join(', ') : 'none');
  lines.push(`- added: ${list(diff.added)}`);
  lines.push(`- removed: ${diff.removed === null ? 'unknown' : list(diff.removed)}`);
  if (diff.changed_images.length === 0) lines.push('- changed images: none');
  for (const change of diff.changed_images)
    lines.push(
      `- ${code(change.object)} images: ${change.before.map(code).join(', ') || 'none'} → ${change.after.map(code).join(', ') || 'none'}`,
    );
  for (const note of diff.notes) lines.push(`- note: ${escapeMarkdown(note)}`);
  return lines;
}

/** The reviewer summary's preview, or why there is none (request-approval, the local rehearsal). */
export function renderReviewPreview(shown: ReviewPreview): string {
  return 'preview' in shown
    ? renderRestorePreview(shown.preview)
    : `**Restore preview** unavailable: ${escapeMarkdown(shown.unavailable)}`;
}
