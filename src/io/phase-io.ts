/**
 * The one seam between a phase and the world that started it (the Actions runner or the CLI).
 * Tests and the CLI swap it; phases never touch process.env or @actions/core directly.
 */
export interface PhaseIO {
  /** The raw input value, '' when unset. */
  input(name: string): string;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary (or prints it, on a terminal). */
  summary(markdown: string): Promise<void>;
  info(message: string): void;
  warning(message: string): void;
  /** Marks the step failed; the process exit code follows. */
  fail(message: string): void;
  /** Keeps a value out of logs from now on (GitHub masks it; the CLI has nothing to mask). */
  mask(value: string): void;
}
