import type { Command } from 'commander';
import type { Terminal } from './terminal.js';

/**
 * The top-level commands in the order `standby --help` lists them. Only the command that runs is loaded
 * (its module, the phase and the AWS SDK clients it needs): `standby --help` builds every other one from
 * the name, help term and summary kept here, which test/cli/command-list.test.ts checks against the real
 * commands.
 */
export interface CommandEntry {
  name: string;
  /** How the command is listed: name, `[options]`, arguments (commander's subcommand term). */
  term: string;
  summary: string;
  load(term: Terminal): Promise<Command>;
}

const phase = async (name: string, term: Terminal) =>
  (await import('./phase-commands.js')).phaseCli(name, term);

export const COMMANDS: CommandEntry[] = [
  {
    name: 'check-health',
    term: 'check-health [options]',
    summary:
      'Measures publish freshness and correctness for every provider/profile pair and decides whether DR is needed.',
    load: (t) => phase('check-health', t),
  },
  {
    name: 'restore-precheck',
    term: 'restore-precheck [options]',
    summary:
      'Proves the backup is complete, intact and recent enough before any EC2 spend; given the backups prefix, takes the newest good backup.',
    load: (t) => phase('restore-precheck', t),
  },
  {
    name: 'restore-preview',
    term: 'restore-preview [options]',
    summary:
      'List every object a restore of the backup would apply (held workloads, images, the state claim), computed by the restore’s own plan (restore-plan.jq) from the backup’s manifests alone, and diff it against the last verified restore.',
    load: async (t) => (await import('./commands/restore-preview.js')).restorePreviewCommand(t),
  },
  {
    name: 'sweep',
    term: 'sweep [options]',
    summary:
      'Finds standby runners past their expiry or (drills) whose run is over, destroys them through their Terraform state (plain terminate when there is none), and clears state locks whose holder is gone.',
    load: (t) => phase('sweep', t),
  },
  {
    name: 'backup',
    term: 'backup [options]',
    summary:
      'Packages a state directory and the manifests (a directory or a namespace export) into the backup contract: deterministic state.tar.zst and manifests.tar.zst, then metadata.json written last and once.',
    load: async (t) => (await import('./commands/backup.js')).backupCommand(t),
  },
  {
    name: 'activate',
    term: 'activate [options]',
    summary:
      "Un-suspends the restored CronJobs on the standby through SSM, only after the execution's promotion was approved. A separate, receipted human act.",
    load: (t) => phase('activate', t),
  },
  {
    name: 'status',
    term: 'status [options]',
    summary:
      'Where the latest (or a given) DR run stands: current phase, failure, pending approval, receipts.',
    load: async (t) => (await import('./commands/status.js')).statusCommand(t),
  },
  {
    name: 'approve',
    term: 'approve [options]',
    summary: 'Approve the promotion gate of a DR run, after showing the reviewer summary.',
    load: async (t) => (await import('./commands/review.js')).reviewCommand(t, 'approved'),
  },
  {
    name: 'reject',
    term: 'reject [options]',
    summary: 'Reject the promotion gate of a DR run, after showing the reviewer summary.',
    load: async (t) => (await import('./commands/review.js')).reviewCommand(t, 'rejected'),
  },
  {
    name: 'drill',
    term: 'drill [options]',
    summary:
      'Rehearse DR. --local runs the whole pipeline on an embedded AWS emulator, with no AWS or GitHub account.',
    load: async (t) => (await import('./commands/drill.js')).drillCommand(t),
  },
  {
    name: 'evidence',
    term: 'evidence',
    summary: 'Collect and verify the evidence bundle of one DR run (receipts + alarm history).',
    load: async (t) => (await import('./commands/evidence.js')).evidenceCommand(t),
  },
  {
    name: 'logs',
    term: 'logs',
    summary: 'Export CloudWatch Logs events as JSON with pagination tokens redacted.',
    load: async (t) => (await import('./commands/logs.js')).logsCommand(t),
  },
  {
    name: 'triggers',
    term: 'triggers',
    summary: 'Turn on alarm- and schedule-started DR, only after a verified drill of this deployment.',
    load: async (t) => (await import('./commands/triggers.js')).triggersCommand(t),
  },
  {
    name: 'failback',
    term: 'failback [options]',
    summary:
      'Switch the publish pointers back from the DR run to the primary run. Dry run unless --apply (docs/failback.md).',
    load: async (t) => (await import('./commands/failback.js')).failbackCommand(t),
  },
  {
    name: 'drill-age',
    term: 'drill-age [options]',
    summary:
      'The age of the newest verified drill of this deployment (evidence check passes, GitHub confirms its drill.yml run); with --publish, as the DrillAgeHours metric the drill-age alarm watches.',
    load: async (t) => (await import('./commands/drill-age.js')).drillAgeCommand(t),
  },
  {
    name: 'drills',
    term: 'drills [options]',
    summary:
      'Recent DR executions (drills and real DR runs), newest first, with RTO, RPO and verdict (evidence check), and the RTO trend against the recovery-time budget as a chart.',
    load: async (t) => (await import('./commands/drills.js')).drillsCommand(t),
  },
  {
    name: 'admit',
    term: 'admit [options]',
    summary:
      'Real-DR admission: drop this run when another alarm- or schedule-started real DR run of the same target is in flight (run inside the standby-dr-admission-<target> concurrency group).',
    load: async (t) => (await import('./commands/admission.js')).admitCommand(t),
  },
  {
    name: 'drill-hold',
    term: 'drill-hold [options]',
    summary:
      "Holds a drill's standby until the approval gate is decided or the hold window ends, whichever is first.",
    load: async (t) => (await import('./commands/admission.js')).drillHoldCommand(t),
  },
  {
    name: 'drill-release',
    term: 'drill-release [options]',
    summary:
      "After a drill's teardown: cancels the run when its approval gate is still undecided (needs actions: write).",
    load: async (t) => (await import('./commands/admission.js')).drillReleaseCommand(t),
  },
];
