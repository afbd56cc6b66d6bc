import type { StoredReceipt } from '../receipts/store.js';
import { sha256Hex } from '../receipts/store.js';
import type { BundleFile } from './bundle.js';
import { canonicalJson, projectReceipt } from './plan-projection.js';

/**
 * A plan bundle: what a plan-only drill (check-health, restore-precheck, Terraform plan, no apply)
 * decided, laid out so that the manifest is byte-identical across runs on the same inputs:
 *
 *   plan-manifest.json    schema, execution id, and per phase: status and the sha256 of its plan file
 *   plan/<phase>.json     the phase's deterministic content (canonical JSON)
 *   run-record.json       what differs between identical runs: timestamps, ages, receipt keys and hashes
 *
 * The newest attempt of each phase counts.
 */
export const PLAN_MANIFEST_SCHEMA = 'standby.plan-manifest/v1';
export const PLAN_PHASES = ['check-health', 'restore-precheck', 'bringup'] as const;

export interface PlanBundle {
  files: BundleFile[];
  missing: string[];
}

export function buildPlanBundle(executionId: string, stored: StoredReceipt[]): PlanBundle {
  const newest = new Map<string, StoredReceipt>();
  for (const item of stored) {
    const receipt = item.receipt;
    if (!receipt || !(PLAN_PHASES as readonly string[]).includes(receipt.phase)) continue;
    const current = newest.get(receipt.phase)?.receipt;
    if (!current || receipt.attempt > current.attempt) newest.set(receipt.phase, item);
  }

  const files: BundleFile[] = [];
  const phases: { phase: string; status: string; file: string; sha256: string }[] = [];
  const record: Record<string, unknown> = {};
  for (const phase of PLAN_PHASES) {
    const item = newest.get(phase);
    if (!item?.receipt) continue;
    const { content, volatile } = projectReceipt(item.receipt);
    const body = Buffer.from(canonicalJson(content));
    const file = `plan/${phase}.json`;
    files.push({ path: file, body });
    phases.push({ phase, status: item.receipt.status, file, sha256: sha256Hex(body) });
    record[phase] = { ...volatile, receipt: { uri: item.uri, sha256: item.sha256 } };
  }
  const manifest = { schema: PLAN_MANIFEST_SCHEMA, execution_id: executionId, phases };
  files.push({ path: 'plan-manifest.json', body: Buffer.from(canonicalJson(manifest)) });
  files.push({ path: 'run-record.json', body: Buffer.from(canonicalJson(record)) });
  return { files, missing: PLAN_PHASES.filter((phase) => !newest.has(phase)) };
}
