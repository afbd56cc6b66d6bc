import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { COMMANDS } from '../../src/cli/command-list.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { phaseCommand } from '../../src/cli/phase-command.js';
import { findUnknownCommand, nearest } from '../../src/cli/unknown-command.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { findPhase, phaseCatalog } from '../../src/phases/registry.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 21.10: on 4a6258e `standby drills --help` printed the root help and exited 0, `standby backup
 * prnue` said "too many arguments", and no unknown command got a one-line answer. (`drills` and `restore-preview`
 * are commands since issue 23; a misspelling and a made-up word stand in for them.)
 */
async function cli(args: string[]) {
  const term = captureTerminal();
  const code = await runCli(args, term);
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

describe('an unknown command exits 2 with one line naming it and the nearest known command', () => {
  it.each([
    [['statsu'], "standby: 'statsu' is not a command. Did you mean 'status'?"],
    [['evidnce'], "standby: 'evidnce' is not a command. Did you mean 'evidence'?"],
    [['evidnce', '--help'], "standby: 'evidnce' is not a command. Did you mean 'evidence'?"],
    [['evidnce', '-h'], "standby: 'evidnce' is not a command. Did you mean 'evidence'?"],
    [['help', 'evidnce'], "standby: 'evidnce' is not a command. Did you mean 'evidence'?"],
    [['evid'], "standby: 'evid' is not a command. Did you mean 'evidence'?"],
    [['frobnicate'], "standby: 'frobnicate' is not a command. See 'standby --help'."],
    [['frobnicate', '--help'], "standby: 'frobnicate' is not a command. See 'standby --help'."],
    [['backup', 'prnue'], "standby backup: 'prnue' is not a command. Did you mean 'prune'?"],
    [
      ['backup', '--backup-uri', 's3://b/backups/', 'prnue', '--help'],
      "standby backup: 'prnue' is not a command. Did you mean 'prune'?",
    ],
    [['evidence', 'chek', '--help'], "standby evidence: 'chek' is not a command. Did you mean 'check'?"],
    [['logs', 'exprot'], "standby logs: 'exprot' is not a command. Did you mean 'export'?"],
    [['logs', 'tail'], "standby logs: 'tail' is not a command. See 'standby logs --help'."],
  ])('%j', async (args, line) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    expect(err).toBe(line);
  });

  it('a word that is not printable is echoed on one line', async () => {
    const { code, err } = await cli(['st\natus\u001b[31m']);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toBe("standby: 'st\\natus\\x1B[31m' is not a command. See 'standby --help'.");
  });
});

describe('help and known commands are unchanged', () => {
  it.each([
    [['--help']],
    [['-h']],
    [['help']],
    [['help', 'status']],
    [['status', '--help']],
    [['drills', '--help']],
    [['restore-preview', '--help']],
    [['backup', 'prune', '--help']],
    [['backup', '--backup-uri', 's3://b/backups/', 'prune', '--help']],
    [['evidence', '--help']],
    [['evidence', 'check', '--help']],
    [['evidence', 'help', 'check']],
    [['backup', 'help']],
    [['backup', 'help', 'verify']],
    [['logs', 'redact', '--help']],
    [['--version']],
  ])('%j exits 0 with output on stdout', async (args) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(EXIT.ok);
    expect(out).not.toBe('');
    expect(err).toBe('');
  });

  it('a known command with a bad flag is still commander’s usage error (exit 2)', async () => {
    const { code, err } = await cli(['status', '--no-such-flag']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("unknown option '--no-such-flag'");
  });

  it('an argument of a leaf command is not taken for a command', () => {
    const program = new Command('standby');
    const logs = program.command('logs');
    logs.command('redact').argument('<file>');
    expect(findUnknownCommand(program, ['logs', 'redact', 'statsu.json'])).toBeUndefined();
    expect(findUnknownCommand(program, ['logs', '--', 'x'])).toBeUndefined();
    expect(findUnknownCommand(program, ['logs', 'x'])).toEqual({
      parent: 'standby logs',
      word: 'x',
      suggestion: undefined,
    });
  });
});

describe('nearest', () => {
  it.each([
    ['statsu', 'status'],
    ['stauts', 'status'],
    ['aprove', 'approve'],
    ['rejet', 'reject'],
    ['failbak', 'failback'],
    ['drill-hlod', 'drill-hold'],
    ['evid', 'evidence'],
    ['xyz', undefined],
    ['d', undefined],
    ['drill-', 'drill'],
    ['drill-hol', 'drill-hold'],
    ['status-and-more', undefined],
  ])('%s → %s', (word, expected) => {
    const names = COMMANDS.map((c) => c.name);
    expect(nearest(word, names)).toBe(expected);
  });
});

/** Every required input of every phase, as the CLI and as the action report it when it is missing. */
const REQUIRED = phaseCatalog.flatMap((definition) =>
  Object.entries(definition.inputs)
    .filter(([, spec]) => spec.required)
    .map(([input]) => [definition.name, input] as const),
);

describe('a phase run from the CLI names the flag, as an action the input (issue 21.10, from 19.11)', () => {
  it('every phase with a required input is covered', () => {
    const phases = new Set(REQUIRED.map(([phase]) => phase));
    expect(phaseCatalog.filter((d) => !phases.has(d.name)).map((d) => d.name)).toEqual(
      phaseCatalog.filter((d) => !Object.values(d.inputs).some((spec) => spec.required)).map((d) => d.name),
    );
    expect(phases.size).toBeGreaterThan(5);
  });

  it.each(phaseCatalog.map((d) => [d.name]))(
    '%s: a missing required input is --flag in the CLI',
    async (name) => {
      const definition = findPhase(name);
      const required = REQUIRED.filter(([phase]) => phase === name).map(([, input]) => input);
      if (required.length === 0) return;
      const term = captureTerminal();
      const command = phaseCommand(definition, term, { examples: [] })
        .exitOverride()
        .configureOutput({ writeOut: term.out, writeErr: term.err });
      await command.parseAsync(['--json'], { from: 'user' });
      const { status, failure } = JSON.parse(term.stdout.join('\n'));
      expect(status).toBe('failed');
      expect(failure.reason).toBe('invalid_input');
      const flag = failure.message.match(/^--([a-z0-9-]+) is required\b/)?.[1];
      expect(required).toContain(flag);
      expect(failure.message).not.toContain('input ');

      const { result } = await runPhase(definition, new MemoryIO({ 'execution-id': 'drill-1' }));
      expect(result.failure?.message).toMatch(new RegExp(`^input '${flag}': is required\\b`));
    },
  );

  it.each([
    [['check-health'], '--publish-bucket is required'],
    [['restore-precheck'], '--backup-uri is required'],
    [['backup'], '--backup-uri is required'],
    [['backup', 'prune'], '--backup-uri is required'],
    [['activate', '--confirm', 'cli-1', '--execution-id', 'cli-1'], '--receipt-bucket is required'],
    // A phase's own "is required" stands: it says what to pass.
    [
      ['sweep', '--state-bucket', 'acme-tfstate'],
      '--lock-table is required: without a lock two runs could apply at once',
    ],
  ])('standby %j says %s and exits 2', async (args, message) => {
    const { code, out, err } = await cli([...args, '--json']);
    expect(code).toBe(EXIT.usage);
    expect(`${out}\n${err}`).toContain(message);
    expect(`${out}\n${err}`).not.toContain("input '");
  });
});
