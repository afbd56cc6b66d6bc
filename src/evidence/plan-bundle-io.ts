import type { S3ReceiptStore } from '../receipts/store.js';
import { refuseNonEmpty, writeBundleFiles } from './bundle-files.js';
import { buildPlanBundle } from './plan-bundle.js';

export class PlanBundleRefused extends Error {
  override name = 'PlanBundleRefused';
}

/** Reads an execution's receipts and writes its plan bundle into an empty (or new) directory. */
export async function writePlanBundle(store: S3ReceiptStore, outDir: string) {
  const refusal = await refuseNonEmpty(outDir);
  if (refusal) throw new PlanBundleRefused(refusal);
  const bundle = buildPlanBundle(store.location.executionId, await store.list());
  await writeBundleFiles(outDir, bundle.files);
  return { outDir, files: bundle.files.map((file) => file.path), missing: bundle.missing };
}
