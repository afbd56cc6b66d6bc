import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { admit } from '../../concurrency/admission-api.js';
import { holdForDecision, releaseUndecided } from '../../concurrency/drill-hold.js';
import { HOLD_WINDOW_MAX_MINUTES, holdWindow } from '../../concurrency/hold-window.js';
import { parseRunId } from '../../github/repository.js';
import { parseTargetName } from '../../targets/target.js';
import { systemClock } from '../../util/clock.js';
import { markdownTable } from '../../util/markdown.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseNumber } from '../../validation/primitives.js';
import { CliError, EXIT } from '../exit-codes.js';
import { githubAccess } from '../github-access.js';
import { paint, type Terminal } from '../terminal.js';

interface RunFlags {
  run?: string;
  repo?: string;
  apiUrl?: string;
  jsonOut?: string;
}

function runIdOf(flags: RunFlags): number {
  const raw = flags.run ?? process.env.GITHUB_RUN_ID;
  if (!raw) throw new CliError('which run? pass --run <id> (in Actions: GITHUB_RUN_ID)', EXIT.usage);
  try {
    return parseRunId('--run', raw);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

function targetOf(raw: string): string {
  try {
    return parseTargetName('--target', raw);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

function writeJson(file: string | undefined, value: unknown) {
  if (file) writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** `standby admit`: may this alarm- or schedule-started run start real DR? (the admission job) */
export function admitCommand(term: Terminal): Command {
  return new Command('admit')
    .description(
      'Real-DR admission: drop this run when another alarm- or schedule-started real DR run of the same target is in flight (run inside the standby-dr-admission-<target> concurrency group).',
    )
    .option('--run <id>', 'this workflow run (default: GITHUB_RUN_ID)')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL)')
    .option('--workflow <file...>', 'workflows that start real DR', ['alarm.yml', 'freshness.yml'])
    .option(
      '--target <name>',
      "the target this run starts real DR for (only that target's runs count)",
      'default',
    )
    .option('--json-out <file>', 'also write the decision as JSON (decision, detail, blocking runs)')
    .addHelpText(
      'after',
      '\nExample:\n  $ GH_TOKEN=$(gh auth token) standby admit --repo acme/batch-dr --run 123456789\n',
    )
    .action(async (flags: RunFlags & { workflow: string[]; target: string }) => {
      const runId = runIdOf(flags);
      const target = targetOf(flags.target);
      const { client, repository } = githubAccess(flags, (line) => term.err(paint(term, 'dim', line)));
      const verdict = await admit(client, repository, runId, flags.workflow, target);
      writeJson(flags.jsonOut, verdict);
      const headline = {
        admitted: `Admitted: no other real DR run is in flight; run ${runId} starts real DR.`,
        dropped: `Dropped: real DR is already in flight; run ${runId} records its health check and stops.`,
        unchecked: `Admitted unchecked: ${verdict.detail}.`,
      }[verdict.decision];
      const lines = ['### Real-DR admission', '', headline];
      if (verdict.blocking.length)
        lines.push(
          '',
          markdownTable(
            ['In flight', 'Why it counts'],
            verdict.blocking.map((b) => [b.url, b.why]),
          ),
        );
      term.out(lines.join('\n'));
    });
}

/** `standby drill-hold`: wait for the gate's decision, at most the hold window. */
export function drillHoldCommand(term: Terminal): Command {
  return new Command('drill-hold')
    .description(
      "Holds a drill's standby until the approval gate is decided or the hold window ends, whichever is first.",
    )
    .option('--run <id>', 'the drill run (default: GITHUB_RUN_ID)')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL)')
    .option(
      '--window-minutes <n>',
      `hold window after request-approval, at most ${HOLD_WINDOW_MAX_MINUTES} (a GitHub-hosted job ends at 6 h)`,
      '60',
    )
    .option(
      '--not-after <time>',
      "the runner's expiry (bringup's expires-at): the hold ends 10 min before it",
    )
    .option('--poll-seconds <n>', 'how often to look at the gate', '30')
    .option('--json-out <file>', 'also write {decided, gate, waitedMs} as JSON')
    .action(async (flags: RunFlags & { windowMinutes: string; pollSeconds: string; notAfter?: string }) => {
      const runId = runIdOf(flags);
      const { windowMinutes, pollSeconds, notAfter } = parseHoldFlags(flags);
      const window = holdWindow(windowMinutes, new Date(systemClock.now()), notAfter);
      if (window.boundBy === 'runner-expiry')
        term.err(
          `the runner expires at ${notAfter?.toISOString()}: holding ${Math.floor(window.windowMs / 60_000)} min instead of ${windowMinutes}`,
        );
      const { client, repository } = githubAccess(flags, (line) => term.err(paint(term, 'dim', line)));
      const outcome = await holdForDecision(client, repository, runId, {
        windowMs: window.windowMs,
        pollMs: pollSeconds * 1000,
        clock: systemClock,
        progress: (line) => term.err(line),
      });
      writeJson(flags.jsonOut, outcome);
      term.out(
        outcome.decided
          ? `### Hold window\n\nThe gate was decided after ${Math.round(outcome.waitedMs / 60_000)} min (${outcome.gate}): promote records the decision; teardown follows.`
          : `### Hold window\n\nNo decision within ${windowMinutes} min (gate ${outcome.gate}): the drill's standby is torn down now. A decision is still possible until the run cancels itself after teardown.`,
      );
    });
}

function parseHoldFlags(flags: { windowMinutes: string; pollSeconds: string; notAfter?: string }) {
  try {
    const notAfter =
      flags.notAfter === undefined || flags.notAfter === '' ? undefined : new Date(flags.notAfter);
    if (notAfter && (Number.isNaN(notAfter.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(flags.notAfter ?? '')))
      throw new InputError(
        '--not-after',
        `${quoted(flags.notAfter ?? '')} is not an RFC 3339 time (bringup's expires-at)`,
      );
    return {
      windowMinutes: parseNumber('--window-minutes', flags.windowMinutes, {
        min: 1,
        max: HOLD_WINDOW_MAX_MINUTES,
        integer: true,
      }),
      pollSeconds: parseNumber('--poll-seconds', flags.pollSeconds, { min: 5, max: 600, integer: true }),
      notAfter,
    };
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

/** `standby drill-release`: after teardown, cancel the run if its gate is still waiting. */
export function drillReleaseCommand(term: Terminal): Command {
  return new Command('drill-release')
    .description(
      "After a drill's teardown: cancels the run when its approval gate is still undecided (needs actions: write).",
    )
    .option('--run <id>', 'the drill run (default: GITHUB_RUN_ID)')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL)')
    .option('--json-out <file>', 'also write {cancelled, why} as JSON')
    .action(async (flags: RunFlags) => {
      const runId = runIdOf(flags);
      const { client, repository } = githubAccess(flags, (line) => term.err(paint(term, 'dim', line)));
      const outcome = await releaseUndecided(client, repository, runId);
      writeJson(flags.jsonOut, outcome);
      term.out(`### Release\n\n${outcome.cancelled ? 'Cancelled' : 'Not cancelled'}: ${outcome.why}.`);
    });
}
