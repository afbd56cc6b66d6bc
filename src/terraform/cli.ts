import { getExecOutput } from '@actions/exec';
import { looksSecret, REDACTED } from '../receipts/sanitize.js';
import { stripAnsi } from './ansi.js';

export interface TerraformResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TerraformOptions {
  workingDirectory: string;
  /** Each output line, colour stripped and secret-looking lines redacted (the phase logs them). */
  log: (line: string) => void;
  /** Environment for the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  binary?: string;
}

/**
 * Runs the terraform binary found on PATH through @actions/exec. Every command gets -no-color and
 * -input=false where it takes them; captured text is colour-stripped anyway, because wrappers and
 * providers do not all honour -no-color.
 */
export class TerraformCli {
  constructor(private readonly options: TerraformOptions) {}

  async run(args: string[]): Promise<TerraformResult> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.options.env ?? process.env))
      if (value !== undefined) env[key] = value;
    env.TF_IN_AUTOMATION = '1';
    env.TF_INPUT = '0';
    const print = (line: string) => this.options.log(safeLine(line));
    const result = await getExecOutput(this.options.binary ?? 'terraform', args, {
      cwd: this.options.workingDirectory,
      env,
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdline: print, errline: print },
    });
    return { exitCode: result.exitCode, stdout: stripAnsi(result.stdout), stderr: stripAnsi(result.stderr) };
  }

  /** Like run, but a non-zero exit becomes an error carrying the (redacted) tail of what Terraform said. */
  async must(args: string[]): Promise<TerraformResult> {
    const result = await this.run(args);
    if (result.exitCode !== 0) {
      throw new TerraformError(args[0] ?? 'terraform', result.exitCode, tail(result.stderr || result.stdout));
    }
    return result;
  }
}

export class TerraformError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly detail: string,
  ) {
    super(`terraform ${command} exited with ${exitCode}${detail ? `: ${detail}` : ''}`);
    this.name = 'TerraformError';
  }
}

function safeLine(line: string): string {
  const plain = stripAnsi(line);
  return looksSecret(plain) ? REDACTED : plain;
}

/**
 * The error headings (Terraform's `Error: <summary>` lines) and the last few meaningful lines, for an
 * error message that goes into the receipt. A held state lock also says what to do about it.
 */
export function tail(text: string, lines = 8): string {
  const meaningful = text
    .split(/\r?\n/)
    .map((line) =>
      safeLine(line)
        .replace(/^[│╷╵\s]+/, '')
        .trim(),
    )
    .filter((line) => line !== '');
  const last = meaningful.slice(-lines);
  const headings = meaningful.filter((line) => /^Error: /.test(line) && !last.includes(line));
  return [...headings, ...last, ...lockHint(meaningful)].join(' / ').slice(0, 2000);
}

/** For "Error acquiring the state lock": who holds it and how it gets cleared. */
function lockHint(lines: string[]): string[] {
  if (!lines.some((line) => line.includes('Error acquiring the state lock'))) return [];
  const field = (name: string) =>
    lines
      .find((line) => line.startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim() || '?';
  return [
    `The state is locked (lock ${field('ID')}, ${field('Operation')} by ${field('Who')} since ${field('Created')}). ` +
      'If that run is still going, wait for it; if it is gone (cancelled, timed out), the sweeper clears the lock, ' +
      `or run terraform force-unlock ${field('ID')} in terraform/runner with the same backend settings.`,
  ];
}
