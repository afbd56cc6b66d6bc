import type { Command } from 'commander';
import { GitHubApiError } from '../../github/errors.js';
import { getRepositoryVariable, setRepositoryVariable } from '../../github/variables.js';
import { findNewestVerifiedDrill, listDrillExecutions } from '../../operator/drill-evidence.js';
import { confirmRun } from '../../operator/drill-run.js';
import {
  type ConfirmedRun,
  decideTriggers,
  type TriggerGate,
  whyRunUnconfirmed,
} from '../../operator/trigger-gate.js';
import { targetReceiptPrefix } from '../../targets/receipts.js';
import { describeError } from '../../util/errors.js';
import { parseNumber } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { type GitHubAccess, githubAccess } from '../github-access.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { paint, type Terminal } from '../terminal.js';
import { commandGroup, nestedCommand, usage } from './nested.js';
import { targetsToShow } from './status-targets.js';

/** The repository variable alarm.yml, freshness.yml and dr-pipeline.yml read (terraform/orchestrator/github.tf). */
export const TRIGGERS_VARIABLE = 'STANDBY_ENABLE_TRIGGERS';
/** The repository variable drill.yml's schedule reads (docs/workflows.md, "Scheduled drills"). */
export const SCHEDULED_DRILLS_VARIABLE = 'STANDBY_ENABLE_SCHEDULED_DRILLS';

/** What a switch turns on, and the Terraform variable that writes the same repository variable. */
interface Switch {
  variable: string;
  what: string;
  terraform: string;
}
const SWITCHES: Record<'triggers' | 'scheduledDrills', Switch> = {
  triggers: {
    variable: TRIGGERS_VARIABLE,
    what: 'triggers',
    terraform:
      'The EventBridge rule that lets alarms dispatch DR is Terraform’s: apply terraform/orchestrator with enable_triggers = true (with manage_repository_variables, every apply writes STANDBY_ENABLE_TRIGGERS from enable_triggers).',
  },
  scheduledDrills: {
    variable: SCHEDULED_DRILLS_VARIABLE,
    what: 'scheduled drills',
    terraform:
      'With manage_repository_variables, every apply of terraform/orchestrator writes STANDBY_ENABLE_SCHEDULED_DRILLS from enable_scheduled_drills: set enable_scheduled_drills = true too, or the next apply turns scheduled drills off again.',
  },
};

interface EnableFlags extends AwsFlags {
  repo?: string;
  apiUrl?: string;
  receiptBucket: string;
  receiptPrefix: string;
  withinDays: string;
  maxDrills: string;
  dryRun?: boolean;
  json?: boolean;
  scheduledDrills?: boolean;
}

export function triggersCommand(term: Terminal): Command {
  const group = commandGroup(
    'triggers',
    'Turn on alarm- and schedule-started DR, only after a verified drill of this deployment.',
    term,
  );
  group.addCommand(enableCommand(term));
  return group;
}

function enableCommand(term: Terminal): Command {
  return nestedCommand('enable', term, [
    'GH_TOKEN=$(gh auth token) standby triggers enable --repo acme/batch-dr --receipt-bucket acme-dr-receipts --dry-run',
    'standby triggers enable --repo acme/batch-dr --receipt-bucket acme-dr-receipts --within-days 14 --expected-account-id 123456789012 --json',
    'standby triggers enable --scheduled-drills --repo acme/batch-dr --receipt-bucket acme-dr-receipts',
  ])
    .description(
      `Set ${TRIGGERS_VARIABLE}=true, only when \`evidence check\` verifies a drill of this deployment that ended within the last --within-days days; names the drill that proved it.`,
    )
    .requiredOption(
      '--receipt-bucket <bucket>',
      'bucket holding the drills’ receipts (STANDBY_RECEIPT_BUCKET)',
    )
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option('--within-days <n>', 'the proving drill must have ended this recently', '30')
    .option('--max-drills <n>', 'how many of the newest drills to read before giving up', '5')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)')
    .option('--aws-region <region>', 'AWS region of the receipt bucket (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option(
      '--scheduled-drills',
      `set ${SCHEDULED_DRILLS_VARIABLE} (drill.yml's weekly schedule) instead of ${TRIGGERS_VARIABLE}, behind the same verified-drill gate`,
    )
    .option('--dry-run', 'check the drills and say what would happen; leave the variable alone')
    .option('--json', 'print one JSON object')
    .action(returnsExitCode((flags: EnableFlags) => enable(term, flags)));
}

async function enable(term: Terminal, flags: EnableFlags): Promise<number> {
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  // Every flag is checked before the first call.
  const folder = usage(() => parseReceiptFolder(flags));
  const withinDays = usage(() =>
    parseNumber('--within-days', flags.withinDays, { min: 1, max: 365, integer: true }),
  );
  const maxDrills = usage(() =>
    parseNumber('--max-drills', flags.maxDrills, { min: 1, max: 50, integer: true }),
  );
  const turnOn = flags.scheduledDrills ? SWITCHES.scheduledDrills : SWITCHES.triggers;
  const aws = awsFromFlags(flags);
  const { client, repository } = githubAccess(flags, progress);
  const repo = `${repository.owner}/${repository.repo}`;
  await checkExpectedAccount(aws, flags);

  // Every target this deployment declares must have its own verified drill: the switch is one for all
  // of them (docs/workflows.md, "Targets"). Without STANDBY_TARGETS there is one target, `default`.
  const targets = await targetsToShow(undefined, { client, repository });
  const proofs: TargetProof[] = [];
  for (const target of targets) {
    const targetFolder = { bucket: folder.bucket, prefix: targetReceiptPrefix(folder.prefix, target) };
    const proved = await proveTarget(targetFolder, {
      aws,
      client,
      repository,
      repo,
      withinDays,
      maxDrills,
      progress,
    });
    proofs.push({ target, folder: targetFolder, ...proved });
  }
  const refused = proofs.find((p) => !p.gate.allowed);
  if (refused) {
    const gate =
      targets.length > 1 && !refused.gate.allowed
        ? { ...refused.gate, reason: `target ${refused.target}: ${refused.gate.reason}` }
        : refused.gate;
    report(term, flags, { gate, repo, turnOn, variable: undefined, proofs });
    return EXIT.attention;
  }
  const { gate, run } = proofs[0] as TargetProof;
  const before = await getRepositoryVariable(client, repository, turnOn.variable).catch(variableError);
  if (!flags.dryRun)
    await setRepositoryVariable(client, repository, turnOn.variable, 'true').catch(variableError);
  report(term, flags, {
    gate,
    repo,
    turnOn,
    runUrl: run?.html_url,
    proofs,
    variable: {
      name: turnOn.variable,
      before: before ?? null,
      after: flags.dryRun ? (before ?? null) : 'true',
    },
  });
  return EXIT.ok;
}

interface TargetProof {
  target: string;
  folder: { bucket: string; prefix: string };
  gate: TriggerGate;
  run?: ConfirmedRun;
}

/** One target's gate: its newest verified drill, recent enough, its run confirmed by GitHub. */
async function proveTarget(
  folder: { bucket: string; prefix: string },
  with_: {
    aws: ReturnType<typeof awsFromFlags>;
    client: GitHubAccess['client'];
    repository: GitHubAccess['repository'];
    repo: string;
    withinDays: number;
    maxDrills: number;
    progress: (line: string) => void;
  },
): Promise<{ gate: TriggerGate; run?: ConfirmedRun }> {
  const { aws, client, repository, repo, withinDays, maxDrills, progress } = with_;
  const where = `s3://${folder.bucket}/${folder.prefix ? `${folder.prefix}/` : ''}`;
  const drills = await listDrillExecutions(aws.s3, folder).catch((error) => {
    throw new CliError(`cannot list the drills under ${where}: ${describeError(error)}`, EXIT.failed);
  });
  progress(`${drills.length} drill execution(s) under ${where}`);
  const { checks } = await findNewestVerifiedDrill(aws.s3, folder, drills, {
    repository: repo,
    maxDrills,
    progress,
  });
  let gate = decideTriggers(checks, { repository: repo, withinDays, now: new Date() });
  let run: ConfirmedRun | undefined;
  if (gate.allowed) {
    run = await confirmRun(client, repository, gate.proof.runId);
    const why = whyRunUnconfirmed(gate.proof, run, repo);
    if (why)
      gate = {
        allowed: false,
        reason: why,
        next: 'check who writes to the receipt bucket; run a drill (gh workflow run drill.yml) and try again',
        examined: gate.examined,
      };
  }
  return { gate, run };
}

function variableError(error: unknown): never {
  if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404))
    throw new CliError(
      `${error.message}. Writing a repository variable needs a token with the Variables repository permission (write), or the repo scope of a classic token`,
      EXIT.failed,
    );
  throw error;
}

function report(
  term: Terminal,
  flags: EnableFlags,
  result: {
    gate: TriggerGate;
    repo: string;
    turnOn: Switch;
    runUrl?: string;
    variable: { name: string; before: string | null; after: string | null } | undefined;
    proofs: TargetProof[];
  },
): void {
  const { gate, repo, variable, runUrl, turnOn, proofs } = result;
  if (flags.json) {
    term.out(
      JSON.stringify(
        {
          enabled: gate.allowed && !flags.dryRun,
          dry_run: Boolean(flags.dryRun),
          repository: repo,
          variable: variable ?? null,
          proof: gate.allowed
            ? { ...gate.proof, age_days: Math.floor(gate.ageDays), run_url: runUrl ?? null }
            : null,
          refused: gate.allowed ? null : { reason: gate.reason, next: gate.next },
          examined: gate.examined,
          // Every target's own gate (one entry, `default`, for a single-publisher deployment).
          targets: proofs.map(({ target, folder, gate: g, run }) => ({
            target,
            receipts: `s3://${folder.bucket}/${folder.prefix ? `${folder.prefix}/` : ''}`,
            proof: g.allowed
              ? {
                  execution_id: g.proof.executionId,
                  ended_at: g.proof.endedAt,
                  run_url: run?.html_url ?? null,
                }
              : null,
            refused: g.allowed ? null : { reason: g.reason, next: g.next },
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (!gate.allowed) {
    term.err(paint(term, 'red', `refused: ${turnOn.what} stay off for ${repo}: ${gate.reason}.`));
    term.err(`Next: ${gate.next}.`);
    return;
  }
  const { proof } = gate;
  const lines = [
    flags.dryRun
      ? `Dry run: ${turnOn.what} may be enabled for ${repo}; ${turnOn.variable} left at ${variable?.before ?? '(unset)'}.`
      : `${capitalised(turnOn.what)} enabled for ${repo}: ${turnOn.variable}=true (was ${variable?.before ?? 'unset'}).`,
    `Proved by ${proof.executionId} (run ${proof.runId ?? '?'} of ${proof.repository}${runUrl ? `, ${runUrl}` : ''}), ended ${proof.endedAt}, ${Math.floor(gate.ageDays)} day(s) ago: evidence check verified ${proof.chain.count} receipt(s), chain head ${proof.chain.head?.sha256 ?? '?'} (${proof.chain.head?.name ?? '?'}).`,
    `Reproduce: standby evidence collect --execution-id ${proof.executionId} --receipt-bucket ${flags.receiptBucket} --receipt-prefix ${flags.receiptPrefix} --out evidence/${proof.executionId} && standby evidence check evidence/${proof.executionId}`,
    ...gate.examined.map((e) => `Passed over ${e.executionId}: ${e.why}.`),
    ...proofs
      .slice(1)
      .flatMap(({ target, gate: g }) =>
        g.allowed ? [`Target ${target} proved by ${g.proof.executionId}, ended ${g.proof.endedAt}.`] : [],
      ),
    turnOn.terraform,
  ];
  term.out(lines.join('\n'));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
