import type { PhaseIO } from './phase-io.js';

/** PhaseIO over plain maps: used by the CLI (inputs from flags) and by tests. */
export class MemoryIO implements PhaseIO {
  readonly outputs: Record<string, string> = {};
  readonly summaries: string[] = [];
  readonly logs: string[] = [];
  failure: string | undefined;

  constructor(
    private readonly inputs: Record<string, string | undefined> = {},
    private readonly echo: ((line: string) => void) | undefined = undefined,
  ) {}

  input(name: string): string {
    return this.inputs[name] ?? '';
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  async summary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
  }
  info(message: string): void {
    this.logs.push(message);
    this.echo?.(message);
  }
  warning(message: string): void {
    this.logs.push(`warning: ${message}`);
    this.echo?.(`warning: ${message}`);
  }
  fail(message: string): void {
    this.failure = message;
  }
  mask(): void {}
}
