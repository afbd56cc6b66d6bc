import type { Receipt } from '../receipts/envelope.js';

/** What S3 reads one phase made: counted requests by kind and the bytes the responses carried. */
export interface S3Reads {
  get_requests: number;
  head_requests: number;
  list_requests: number;
  bytes: number;
}

export const NO_S3_READS: S3Reads = { get_requests: 0, head_requests: 0, list_requests: 0, bytes: 0 };

/**
 * Why the NAT line is zero: terraform/ creates no NAT gateway (the runner goes into the subnet the
 * deployment names, which reaches SSM, S3 and GitHub through the deployment's own NAT or endpoints).
 */
export const NAT_NOT_CREATED =
  "standby's Terraform creates no NAT gateway: the runner uses the deployment's subnet (subnet_id), whose NAT or VPC endpoints are billed whether or not a drill runs";

/** The measurable use of one execution, from its receipts alone. */
export interface DrillUsage {
  region: string;
  instanceType?: string;
  rootVolumeGb?: number;
  /**
   * An eks target's own node group (bringup's Terraform outputs), alive as long as the runner: its nodes'
   * instance-hours and root volumes are the execution's too. Absent on k3s.
   */
  nodeGroup?: { instanceTypes: string[]; count: number; diskGb: number };
  /** Runner lifetime: bringup's start → teardown's end (or the report time while it is still up). */
  runner?: { from: string; to: string; hours: number; until: 'teardown' | 'report' };
  natHours: 0;
  natReason: string;
  s3: S3Reads;
  /** What could not be measured, in words (an old receipt without a field, no bringup). */
  notes: string[];
}

const last = (receipts: Receipt[], phase: string, ok = true) =>
  receipts
    .filter((r) => r.phase === phase && (!ok || r.status === 'ok'))
    .sort((a, b) => a.sequence - b.sequence)
    .at(-1);

export function isS3Reads(value: unknown): value is S3Reads {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (['get_requests', 'head_requests', 'list_requests', 'bytes'] as const).every(
    (k) => typeof v[k] === 'number' && Number.isFinite(v[k]) && (v[k] as number) >= 0,
  );
}

export function addS3Reads(a: S3Reads, b: S3Reads): S3Reads {
  return {
    get_requests: a.get_requests + b.get_requests,
    head_requests: a.head_requests + b.head_requests,
    list_requests: a.list_requests + b.list_requests,
    bytes: a.bytes + b.bytes,
  };
}

/** Every attempt of the phases that read the backup counts: each one made its requests. */
function s3Reads(receipts: Receipt[], notes: string[]): S3Reads {
  let total = NO_S3_READS;
  for (const receipt of receipts) {
    if (receipt.phase !== 'restore-precheck' && receipt.phase !== 'restore') continue;
    const reads = receipt.outputs['s3-reads'];
    if (isS3Reads(reads)) total = addS3Reads(total, reads);
    else
      notes.push(
        `${receipt.phase} (attempt ${receipt.attempt}) recorded no s3-reads: its S3 reads are not counted`,
      );
  }
  return total;
}

function runnerWindow(
  bringup: Receipt,
  receipts: Receipt[],
  reportTime: Date,
): NonNullable<DrillUsage['runner']> {
  const teardown = last(receipts, 'teardown');
  const from = bringup.started_at;
  const to = teardown ? teardown.ended_at : reportTime.toISOString();
  const hours = Math.max(0, Date.parse(to) - Date.parse(from)) / 3_600_000;
  return { from, to, hours, until: teardown ? 'teardown' : 'report' };
}

/** The usage of one execution: region and runner size from bringup, its lifetime, and the S3 reads. */
export function measureUsage(receipts: Receipt[], reportTime: Date): DrillUsage {
  const notes: string[] = [];
  const bringup = last(receipts, 'bringup');
  const region = bringup?.aws.region ?? receipts[0]?.aws.region ?? 'unknown';
  const usage: DrillUsage = {
    region,
    natHours: 0,
    natReason: NAT_NOT_CREATED,
    s3: s3Reads(receipts, notes),
    notes,
  };
  if (!bringup) {
    notes.push('no successful bringup receipt: no runner was created, so no runner or volume hours');
    return usage;
  }
  if (bringup.outputs['plan-only'] === true) {
    notes.push('plan-only bringup: nothing was applied, so no runner or volume hours');
    return usage;
  }
  const type = bringup.outputs['instance-type'];
  const volume = bringup.outputs['root-volume-gb'];
  if (typeof type === 'string' && type) usage.instanceType = type;
  else notes.push('bringup recorded no instance-type');
  if (typeof volume === 'number' && volume > 0) usage.rootVolumeGb = volume;
  else notes.push('bringup recorded no root-volume-gb');
  usage.nodeGroup = nodeGroupOf(bringup.outputs['terraform-outputs']);
  const runner = runnerWindow(bringup, receipts, reportTime);
  usage.runner = runner;
  if (runner.until === 'report')
    notes.push(`no successful teardown receipt: the runner is counted up to the report (${runner.to})`);
  return usage;
}

/**
 * The root volume of a managed node group's nodes when the node group names no disk size (terraform/runner
 * names none): 20 GiB for Linux, per CreateNodegroup's diskSize in the EKS API reference.
 */
export const EKS_DEFAULT_DISK_GB = 20;

/** The node group bringup's Terraform outputs describe (eks_node_instance_types, eks_node_count), if any. */
function nodeGroupOf(outputs: unknown): DrillUsage['nodeGroup'] {
  if (typeof outputs !== 'object' || outputs === null) return undefined;
  const { eks_node_instance_types: types, eks_node_count: count } = outputs as Record<string, unknown>;
  if (typeof count !== 'number' || count <= 0 || !Array.isArray(types) || types.length === 0)
    return undefined;
  if (!types.every((t): t is string => typeof t === 'string')) return undefined;
  return { instanceTypes: types, count, diskGb: EKS_DEFAULT_DISK_GB };
}
