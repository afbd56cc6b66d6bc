import type { AwsClients } from '../../aws/clients.js';
import type { GitHubClient } from '../../github/client.js';
import type { RepositoryRef } from '../../github/repository.js';
import { getRepositoryVariable } from '../../github/variables.js';
import { drillAge, whyNotDatable } from '../../operator/drill-age.js';
import { findNewestVerifiedDrill, listDrillExecutions } from '../../operator/drill-evidence.js';
import { whyDrillUnconfirmed } from '../../operator/drill-run.js';
import {
  listTargetReceipts,
  type OpenExecution,
  openExecutions,
  type TargetHealth,
  targetHealth,
} from '../../operator/target-status.js';
import { declaredTargetNames } from '../../targets/declared.js';
import { targetReceiptPrefix } from '../../targets/receipts.js';
import { parseTargetName } from '../../targets/target.js';
import { mapWithConcurrency } from '../../util/concurrency.js';
import { markdownTable } from '../../util/markdown.js';
import { usage } from './nested.js';

/** The variable terraform/orchestrator writes every target into (docs/terraform.md, "Targets"). */
export const TARGETS_VARIABLE = 'STANDBY_TARGETS';

export interface TargetRow {
  target: string;
  receipts: string;
  health: TargetHealth;
  last_verified_drill: { execution_id: string; ended_at: string; age_days: number } | null;
  open_executions: OpenExecution[];
}

/** The targets to show: the ones named, else every one STANDBY_TARGETS declares (else `default`). */
export async function targetsToShow(
  named: string[] | undefined,
  github: { client: GitHubClient; repository: RepositoryRef },
): Promise<string[]> {
  if (named?.length) return usage(() => named.map((name) => parseTargetName('--target', name)));
  const value = await getRepositoryVariable(github.client, github.repository, TARGETS_VARIABLE);
  return usage(() => declaredTargetNames(TARGETS_VARIABLE, value));
}

/**
 * One row per target: its health (the newest check-health receipt in its receipts folder), its newest
 * verified drill (evidence check passes and GitHub confirms the drill.yml run, as `standby drill-age`
 * decides it) and its executions with a standby still up.
 */
export async function targetRows(
  aws: AwsClients,
  github: { client: GitHubClient; repository: RepositoryRef },
  options: { bucket: string; basePrefix: string; targets: string[]; maxDrills: number; now: Date },
  progress: (line: string) => void,
): Promise<TargetRow[]> {
  const repo = `${github.repository.owner}/${github.repository.repo}`;
  return mapWithConcurrency(options.targets, 4, async (target) => {
    const folder = { bucket: options.bucket, prefix: targetReceiptPrefix(options.basePrefix, target) };
    const receipts = await listTargetReceipts(aws.s3, folder);
    const drills = await listDrillExecutions(aws.s3, folder);
    const found = await findNewestVerifiedDrill(aws.s3, folder, drills, {
      repository: repo,
      maxDrills: options.maxDrills,
      progress,
      accept: async (check) =>
        whyNotDatable(check, options.now) ??
        (await whyDrillUnconfirmed(github.client, github.repository, check)),
    });
    const age = found.proof ? drillAge(found.proof, options.now) : undefined;
    return {
      target,
      receipts: `s3://${folder.bucket}/${folder.prefix ? `${folder.prefix}/` : ''}`,
      health: targetHealth(receipts.newestCheck),
      last_verified_drill: age
        ? { execution_id: age.executionId, ended_at: age.endedAt, age_days: age.ageDays }
        : null,
      open_executions: openExecutions(receipts),
    };
  });
}

const HEALTH_TEXT: Record<TargetHealth['state'], string> = {
  healthy: 'healthy',
  'needs-dr': '**needs DR**',
  'check-failed': '**check failed**',
  unknown: 'unknown (no health check yet)',
};

export function renderTargetRows(rows: TargetRow[]): string {
  const health = (h: TargetHealth) => {
    const detail = [
      h.freshnessHours === null ? '' : `${h.freshnessHours} h old`,
      h.reasons.length ? h.reasons.join(', ') : '',
    ].filter(Boolean);
    return `${HEALTH_TEXT[h.state]}${detail.length ? ` (${detail.join('; ')})` : ''}`;
  };
  const table = markdownTable(
    ['Target', 'Health', 'Checked', 'Last verified drill', 'Open executions'],
    rows.map((row) => [
      row.target,
      health(row.health),
      row.health.checkedAt ?? '—',
      row.last_verified_drill
        ? `${row.last_verified_drill.execution_id} (${row.last_verified_drill.age_days} d ago)`
        : 'none verified',
      row.open_executions.map((e) => `${e.executionId} (${e.kind}, at ${e.lastPhase ?? '?'})`).join(', ') ||
        '—',
    ]),
  );
  return [`## Targets (${rows.length})`, '', table].join('\n');
}

/** Attention when any target is not healthy or has never had a verified drill. */
export function targetsNeedAttention(rows: TargetRow[]): boolean {
  return rows.some((row) => row.health.state !== 'healthy' || row.last_verified_drill === null);
}
