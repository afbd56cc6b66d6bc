import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';
import type { PhaseIO } from './phase-io.js';

/**
 * PhaseIO on the GitHub Actions runner, speaking the runner's own protocol (docs/architecture.md,
 * "Talking to the runner"): inputs from INPUT_<NAME>, outputs appended to the GITHUB_OUTPUT file as
 * `name<<delimiter` blocks, the summary appended to GITHUB_STEP_SUMMARY, and `::warning::`,
 * `::error::` and `::add-mask::` workflow commands on stdout. Byte for byte what @actions/core 3
 * writes, without loading it (it pulls in an HTTP client for OIDC that no phase uses).
 */
export function actionsIO(env: NodeJS.ProcessEnv = process.env): PhaseIO {
  return {
    input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setOutput: (name, value) => setOutput(env, name, value),
    summary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, 'utf8');
    },
    info: (message) => {
      process.stdout.write(`${message}${EOL}`);
    },
    warning: (message) => command('warning', message),
    fail: (message) => {
      process.exitCode = 1;
      command('error', message);
    },
    mask: (value) => command('add-mask', value),
  };
}

function setOutput(env: NodeJS.ProcessEnv, name: string, value: string): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    // A runner without output files (older than 2.297): the deprecated command still works there.
    process.stdout.write(EOL);
    process.stdout.write(`::set-output name=${escapeData(name)}::${escapeData(value)}${EOL}`);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`Unexpected input: an output must not contain the delimiter "${delimiter}"`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

function command(name: 'warning' | 'error' | 'add-mask', message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

/** The runner unescapes these in a command's data (a message may hold newlines and percent signs). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
