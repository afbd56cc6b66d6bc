import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { COMMANDS } from '../../src/cli/command-list.js';
import { runCli } from '../../src/cli/main.js';
import { phaseCatalog } from '../../src/phases/registry.js';
import { staticClosure } from '../helpers/import-graph.js';
import { captureTerminal } from '../helpers/terminal.js';

const relative = (files: Set<string>) => [...files].map((file) => path.relative(process.cwd(), file));

describe('the command list (what `standby --help` shows without loading the commands)', () => {
  it.each(COMMANDS.map((c) => c.name))(
    '%s: the listed term and summary are the real command’s',
    async (name) => {
      const entry = COMMANDS.find((c) => c.name === name);
      const command = await entry?.load(captureTerminal());
      expect(command?.name()).toBe(name);
      expect(entry?.summary).toBe(command?.description());
      expect(entry?.term).toBe(new Command().createHelp().subcommandTerm(command as Command));
    },
  );

  it('`standby --help` lists every command, in order, with its summary', async () => {
    const term = captureTerminal();
    expect(await runCli(['--help'], term)).toBe(0);
    const help = term.stdout.join('\n');
    const positions = COMMANDS.map((c) => help.indexOf(`  ${c.term}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(help.replace(/\s+/g, ' ')).toContain('Rehearse DR. --local runs the whole pipeline');
  });
});

describe('each entry loads only its own code (issue 15: lazy import per phase)', () => {
  it('the bundle entry (src/index.ts) loads nothing until it is called', () => {
    expect(relative(staticClosure('src/index.ts').files)).toEqual(['src/index.ts']);
  });

  it('the CLI (`standby --help`) loads no phase code and no AWS SDK', () => {
    const { files, packages } = staticClosure('src/cli/main.ts');
    expect(relative(files).filter((f) => f.startsWith('src/phases/'))).toEqual([]);
    expect([...packages].sort()).toEqual(['commander']);
  });

  it('an action entry loads the catalogue but no phase’s run code and no AWS SDK client (issue 24.4)', () => {
    const { files, packages } = staticClosure('src/action.ts');
    expect(relative(files).filter((f) => /src\/phases\/[^/]+\/run\.ts$/.test(f))).toEqual([]);
    expect([...packages].filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('check-health’s code loads the clients it uses and no other phase’s code', () => {
    const { files, packages } = staticClosure('src/phases/check-health/run.ts');
    const otherPhases = relative(files).filter(
      (f) => /^src\/phases\/[^/]+\//.test(f) && !f.startsWith('src/phases/check-health/'),
    );
    expect(otherPhases).toEqual([]);
    expect([...packages].filter((p) => p.startsWith('@aws-sdk/')).sort()).toEqual([
      '@aws-sdk/client-cloudwatch',
      '@aws-sdk/client-s3',
    ]);
  });
});

/**
 * Octokit (@actions/github and its @octokit/* packages) is loaded only when GitHub is called: only code
 * that calls GitHub loads the GitHub client (issue 21.3), and the client imports Octokit at its first
 * request, so not even a phase that calls GitHub loads Octokit as it starts (issue 24.4).
 */
describe('Octokit loads only where GitHub is called (issues 21.3, 24.4)', () => {
  const loadsOctokit = (entry: string) =>
    [...staticClosure(entry).packages].some((p) => p === '@actions/github' || p.startsWith('@octokit/'));
  const loadsClient = (entry: string) =>
    relative(staticClosure(entry).files).includes('src/github/client.ts');

  it('neither `standby --help` nor an action entry loads Octokit', () => {
    expect(loadsOctokit('src/index.ts')).toBe(false);
    expect(loadsOctokit('src/cli/main.ts')).toBe(false);
    expect(loadsOctokit('src/action.ts')).toBe(false);
  });

  it('the GitHub client loads Octokit at its first request, not with the client', () => {
    expect(loadsOctokit('src/github/client.ts')).toBe(false);
    expect(readFileSync('src/github/client.ts', 'utf8')).toContain("import('@actions/github')");
  });

  it.each(phaseCatalog.map((phase) => phase.name))(
    '%s loads the GitHub client exactly when it takes a GitHub token, and Octokit not as it starts',
    (name) => {
      const phase = phaseCatalog.find((p) => p.name === name);
      const takesToken = Object.entries(phase?.inputs ?? {}).some(
        ([input, spec]) => spec.secret && /token/.test(input),
      );
      expect(loadsClient(`src/phases/${name}/run.ts`)).toBe(takesToken);
      expect(loadsOctokit(`src/phases/${name}/run.ts`)).toBe(false);
    },
  );

  it('a CLI command loads the GitHub client only through the operator’s GitHub identity (github-access.ts)', () => {
    const commands = readdirSync('src/cli/commands').map((f) => `src/cli/commands/${f}`);
    const withClient = commands.filter(loadsClient);
    const withIdentity = commands.filter((f) =>
      relative(staticClosure(f).files).includes('src/cli/github-access.ts'),
    );
    expect(withClient).toEqual(withIdentity);
    expect(commands.filter(loadsOctokit)).toEqual([]);
    // Most commands never call GitHub: the backup, drill, evidence, failback and logs commands among them.
    expect(withClient.length).toBeLessThan(commands.length / 2);
  });
});

describe("README's CLI paragraph names every command", () => {
  it('every command, and every subcommand beside its command', async () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## The CLI'),
      readme.indexOf('\n## ', readme.indexOf('## The CLI') + 1),
    );
    const missing: string[] = [];
    for (const entry of COMMANDS) {
      const command = await entry.load(captureTerminal());
      // `backup prune|verify`: the command, then its subcommands in one backticked term.
      const terms = [...section.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).split(/\s+/));
      const own = terms.filter((words) => words[0] === entry.name || words[0] === `standby`);
      if (!own.some((words) => words.includes(entry.name))) missing.push(entry.name);
      for (const sub of command.commands.filter((c) => c.name() !== 'help'))
        if (!own.some((words) => words[0] === entry.name && (words[1] ?? '').split('|').includes(sub.name())))
          missing.push(`${entry.name} ${sub.name()}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/cli.md describes every command and flag', () => {
  const docs = readFileSync(path.resolve('docs/cli.md'), 'utf8');
  const headings = docs.split('\n').filter((line) => line.startsWith('### '));

  async function leaves(): Promise<{ path: string; command: Command }[]> {
    const all: { path: string; command: Command }[] = [];
    const walk = (command: Command, prefix: string) => {
      const here = `${prefix} ${command.name()}`;
      all.push({ path: here, command });
      for (const sub of command.commands) walk(sub, here);
    };
    for (const entry of COMMANDS) walk(await entry.load(captureTerminal()), 'standby');
    return all;
  }

  it('every command and subcommand has a heading', async () => {
    const missing = (await leaves())
      .filter(({ command }) => command.commands.length === 0 || command.options.length > 0)
      .map(({ path: name }) => name)
      .filter((name) => !headings.some((h) => h.includes(`\`${name}\``) || h.includes(`\`${name} `)));
    expect(missing).toEqual([]);
  });

  // A phase's command takes its action inputs as flags, with their descriptions (`--help`, action.yml):
  // docs/cli.md says so once instead of listing them.
  const phaseCommands = new Set(phaseCatalog.map((p) => p.description));

  it('every long flag of the CLI’s own commands is named somewhere in docs/cli.md', async () => {
    const own = (await leaves()).filter(({ command }) => !phaseCommands.has(command.description()));
    expect(own.map((c) => c.path)).toEqual(
      expect.arrayContaining(['standby status', 'standby triggers enable']),
    );
    const missing = own.flatMap(({ path: name, command }) =>
      command.options
        .map((o) => o.long)
        .filter((flag): flag is string => !!flag && flag !== '--help' && flag !== '--version')
        .filter((flag) => !docs.includes(flag))
        .map((flag) => `${name} ${flag}`),
    );
    expect(missing).toEqual([]);
  });
});
