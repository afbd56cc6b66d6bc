import { PIPELINE_PHASES } from '../receipts/envelope.js';

/**
 * An evidence bundle is a plain directory an auditor can read without this tool:
 *
 *   manifest.json             every other file: path, sha256, bytes (sorted by path)
 *   collection.json           where the evidence came from (bucket, prefix, alarm sources, selected attempts)
 *   receipts/<file>.json      EVERY receipt object of the execution, byte for byte, all attempts
 *   alarms/<file>.json        CloudWatch DescribeAlarmHistory output, in the AWS CLI's JSON shape
 */
export const MANIFEST_FILE = 'manifest.json';
export const COLLECTION_FILE = 'collection.json';
export const RECEIPTS_DIR = 'receipts';
export const ALARMS_DIR = 'alarms';
export const MANIFEST_SCHEMA = 'standby.evidence-manifest/v1';

/** The receipts a complete drill leaves, in pipeline order (the default of `evidence check --require`). */
export const DRILL_REQUIRED_PHASES = PIPELINE_PHASES;

/** One problem (or note) the check found. `code` is stable for scripts; `message` is for people. */
export interface Finding {
  code: string;
  message: string;
  path?: string;
}

/** A bundle file as read from disk (or built in memory by a test). */
export interface BundleFile {
  path: string;
  body: Buffer;
}
