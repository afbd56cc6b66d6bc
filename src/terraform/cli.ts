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

/** The last few meaningful lines, for an error message that goes into the receipt. */
export function tail(text: string, lines = 8): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      safeLine(line)
        .replace(/^[│╷╵\s]+/, '')
        .trim(),
    )
    .filter((line) => line !== '')
    .slice(-lines)
    .join(' / ')
    .slice(0, 2000);
}
