import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NODE24 = path.resolve('node_modules/node/bin/node');

/** Parses a GITHUB_OUTPUT file, including the multi-line `name<<delimiter` form @actions/core writes. */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '');
      outputs[name as string] = value.join('\n');
    } else if (lines[i]?.includes('=')) {
      const [name, ...rest] = (lines[i] as string).split('=');
      outputs[name as string] = rest.join('=');
    }
  }
  return outputs;
}

/**
 * Runs a dist/ entry the way the Actions runner does: Node 24, INPUT_<NAME> variables (upper-cased,
 * hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Asynchronous, so a stand-in server in the
 * test's own process (the SSM proxy) can answer the action while it runs.
 */
export async function runDistAction(
  entry: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-action-'));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  const child = spawn(NODE24, [path.resolve('dist', entry)], {
    env: {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_REPOSITORY: 'acme/standby-drills',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_ACTOR: 'octocat',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKFLOW: 'drill',
      ...inputEnv,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}
