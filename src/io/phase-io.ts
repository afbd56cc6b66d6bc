/** Where in the repository an annotation points (GitHub shows it on that file and line). */
export interface AnnotationPlace {
  file?: string;
  line?: number;
}

/**
 * The one seam between a phase and the world that started it (the Actions runner or the CLI).
 * Tests and the CLI swap it; phases never touch process.env or @actions/core directly.
 */
export interface PhaseIO {
  /** The raw input value, trimmed, '' when unset. */
  input(name: string): string;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary (or prints it, on a terminal). */
  summary(markdown: string): Promise<void>;
  info(message: string): void;
  /** Shown only when the run has debug logging on (ACTIONS_STEP_DEBUG). */
  debug(message: string): void;
  /** An annotation; with a place, GitHub shows it on that file and line. */
  warning(message: string, place?: AnnotationPlace): void;
  notice(message: string, place?: AnnotationPlace): void;
  /** Marks the step failed; the process exit code follows. */
  fail(message: string, place?: AnnotationPlace): void;
  /** Keeps a value out of logs from now on (GitHub masks it; the CLI has nothing to mask). */
  mask(value: string): void;
  /** Runs a long step with its log lines folded under one heading. */
  group<T>(name: string, step: () => Promise<T>): Promise<T>;
}
