import { JOBS_BEFORE_GATE, jobOfPhase } from './jobs.js';

/**
 * The recovery-time budget (docs/benchmarks.md, "Recovery-time budget"): for each phase before the gate,
 * the floor AWS and GitHub put under it, from published figures, so that a first real drill can be read
 * against it. A floor counts only what has a source; what has none (Terraform's own work, k3s becoming
 * ready, SSM round trips) is named in `notInFloor` and shows up as the gap between the floor and what the
 * run's receipts measured. One table: the docs test, `standby status` and the run chart all read it.
 */
export interface BudgetContext {
  /** Provider/profile pairs check-health read (its receipt's `pairs-checked`). */
  pairs?: number;
  /** Bytes of the backup's artifacts (restore-precheck's integrity checks, `bytes_declared`). */
  backupBytes?: number;
}

export interface PhaseBudget {
  phase: string;
  /** What the floor is made of. */
  floor: string;
  /** Seconds of the floor for a run of this size. */
  seconds(context: BudgetContext): number;
  /** What the floor leaves out (the receipts measure it). */
  notInFloor: string;
  sources: readonly string[];
}

/** S3's first-byte latency for small objects, the low end of the 100-200 ms AWS quotes. */
const S3_FIRST_BYTE_SECONDS = 0.1;
/** check-health's default concurrency (its `concurrency` input). */
const CHECK_HEALTH_CONCURRENCY = 32;
/** The pairs a run checks when its receipt does not say. */
export const DEFAULT_PAIRS = 200;
/** One TCP flow to S3 outside a placement group: 5 Gbps (t4g.medium bursts to "up to 5 Gbps"). */
const SINGLE_FLOW_BYTES_PER_SECOND = (5 * 1e9) / 8;
/** Hosted runner picked up and set up, plus checkout, per job (inter-job scheduling 6 s, setup 2 s, 1 s). */
export const JOB_OVERHEAD_SECONDS = 9;

const S3_SOURCE =
  'AWS, Amazon S3 performance guidance: first-byte latency of 100-200 ms for small objects, 5,500 GET/HEAD per second per prefix';
const EC2_BOOT_SOURCE =
  'Colin Percival, "EC2 boot time benchmarking" (daemonology.net, 2021): ec2-boot-bench on c5.xlarge, RunInstances 1.5 s, pending→running 4.9 s, running→SSH port open 22.8 s';
const EC2_COLD_BOOT_SOURCE =
  'brevdev/ec2-coldboot-research (GitHub): a cold launch to SSH in 25.8 s on average, pending→running 16.4-16.6 s whatever the instance type';
const BANDWIDTH_SOURCE =
  'AWS, "Amazon EC2 instance network bandwidth": a single flow is limited to 5 Gbps outside a cluster placement group; t4g.medium is "up to 5 Gbps" (baseline 0.256 Gbps)';
const JOB_SOURCE =
  'github/gh-aw issue 21703, timing analysis of a hosted run: inter-job scheduling 6 s, runner provisioning and action downloads 2-3 s, checkout 1 s; Depot, "Reducing GitHub Actions queue time": runner initialisation 3.7 s on average, 39 s at p99';

export const RECOVERY_BUDGET: readonly PhaseBudget[] = [
  {
    phase: 'check-health',
    floor: '2N+1 S3 reads, 32 at a time, 0.1 s each',
    seconds: ({ pairs = DEFAULT_PAIRS }) =>
      Math.ceil((2 * pairs + 1) / CHECK_HEALTH_CONCURRENCY) * S3_FIRST_BYTE_SECONDS,
    notInFloor: 'STS account guard, metrics, receipt write',
    sources: [S3_SOURCE],
  },
  {
    phase: 'restore-precheck',
    floor: 'list the backups, read metadata.json, HeadObject each artifact (stored checksums): 4 reads',
    seconds: () => 4 * S3_FIRST_BYTE_SECONDS,
    notInFloor: 'a streaming hash when an artifact has no stored full-object checksum',
    sources: [S3_SOURCE],
  },
  {
    phase: 'bringup',
    floor: 'RunInstances, then pending→running',
    seconds: () => 1.5 + 4.9,
    notInFloor: 'terraform init (providers), plan and apply around the API calls',
    sources: [EC2_BOOT_SOURCE],
  },
  {
    phase: 'resolve-runner',
    floor: 'the OS boots to its network services (running→SSH port open)',
    seconds: () => 22.8,
    notInFloor: 'SSM agent registration, user data (k3s install, /readyz, tools), the ready marker',
    sources: [EC2_BOOT_SOURCE, EC2_COLD_BOOT_SOURCE],
  },
  {
    phase: 'restore',
    floor: "the backup's artifacts, downloaded at one flow's 5 Gbps",
    seconds: ({ backupBytes = 0 }) => backupBytes / SINGLE_FLOW_BYTES_PER_SECOND,
    notInFloor:
      'SSM round trips, sha256 again on the runner, extraction, applying manifests; t4g.medium sustains only its 0.256 Gbps baseline once its burst is spent',
    sources: [BANDWIDTH_SOURCE],
  },
  {
    phase: 'validate',
    floor: 'none published',
    seconds: () => 0,
    notInFloor: 'SSM round trips, k3s API checks, the optional application job',
    sources: [],
  },
  {
    phase: 'notify',
    floor: 'none published',
    seconds: () => 0,
    notInFloor: 'one SNS Publish, receipt write',
    sources: [],
  },
  {
    phase: 'request-approval',
    floor: 'none published',
    seconds: () => 0,
    notInFloor: 'reading the receipts, one SNS Publish, receipt write',
    sources: [],
  },
];

export const JOB_OVERHEAD = {
  floor: `${JOB_OVERHEAD_SECONDS} s per job, ${JOBS_BEFORE_GATE.length} jobs before the gate`,
  sources: [JOB_SOURCE],
};

export interface BudgetLine {
  phase: string;
  job: string;
  seconds: number;
}

/** The floor of each phase before the gate for a run of this size, and the RTO floor (jobs included). */
export function rtoBudget(context: BudgetContext = {}): {
  lines: BudgetLine[];
  jobsSeconds: number;
  totalSeconds: number;
} {
  const lines = RECOVERY_BUDGET.map((budget) => ({
    phase: budget.phase,
    job: jobOfPhase(budget.phase) ?? '',
    seconds: round(budget.seconds(context)),
  }));
  const jobsSeconds = JOB_OVERHEAD_SECONDS * JOBS_BEFORE_GATE.length;
  const totalSeconds = round(lines.reduce((sum, line) => sum + line.seconds, 0) + jobsSeconds);
  return { lines, jobsSeconds, totalSeconds };
}

export function budgetOf(phase: string, context: BudgetContext = {}): number | undefined {
  const budget = RECOVERY_BUDGET.find((b) => b.phase === phase);
  return budget ? round(budget.seconds(context)) : undefined;
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;

/** The run size docs/benchmarks.md prints the budget for: the default pairs and a 1 GiB backup. */
export const REFERENCE_RUN: BudgetContext = { pairs: DEFAULT_PAIRS, backupBytes: 1024 ** 3 };

/** Every source the budget rests on, in full, as a Markdown list (docs/benchmarks.md carries it). */
export function renderBudgetSources(): string {
  const all = [...new Set([...RECOVERY_BUDGET.flatMap((b) => b.sources), ...JOB_OVERHEAD.sources])];
  return all.map((source) => `- ${source}`).join('\n');
}

/** The budget as the markdown table docs/benchmarks.md carries (a test keeps the two identical). */
export function renderBudgetTable(context: BudgetContext = REFERENCE_RUN): string {
  const { lines, jobsSeconds, totalSeconds } = rtoBudget(context);
  const rows = RECOVERY_BUDGET.map((budget, i) => {
    const sources = budget.sources.length ? budget.sources.map((s) => s.split(':')[0]).join('; ') : '—';
    return `| ${budget.phase} | ${lines[i]?.job} | ${budget.floor} | ${formatSeconds(lines[i]?.seconds ?? 0)} | ${budget.notInFloor} | ${sources} |`;
  });
  return [
    '| phase | job | floor on AWS | floor (s) | not in the floor (the receipts measure it) | source |',
    '| --- | --- | --- | ---: | --- | --- |',
    ...rows,
    `| (jobs) | all three | ${JOB_OVERHEAD.floor} | ${formatSeconds(jobsSeconds)} | queue waits above the median, OIDC logins per phase | ${JOB_SOURCE.split(':')[0]} |`,
    `| **RTO floor** | | trigger → approval-ready | **${formatSeconds(totalSeconds)}** | | |`,
  ].join('\n');
}

const formatSeconds = (seconds: number) => (Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1));
