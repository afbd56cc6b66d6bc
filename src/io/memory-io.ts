import type { AnnotationPlace, PhaseIO } from './phase-io.js';

/** PhaseIO over plain maps: used by the CLI (inputs from flags) and by tests. */
export class MemoryIO implements PhaseIO {
  readonly outputs: Record<string, string> = {};
  readonly summaries: string[] = [];
  readonly logs: string[] = [];
  readonly masked: string[] = [];
  failure: string | undefined;

  constructor(
    private readonly inputs: Record<string, string | undefined> = {},
    private readonly echo: ((line: string) => void) | undefined = undefined,
  ) {}

  input(name: string): string {
    return (this.inputs[name] ?? '').trim();
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  async summary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
  }
  info(message: string): void {
    this.log(message);
  }
  debug(message: string): void {
    this.logs.push(`debug: ${message}`);
  }
  warning(message: string, place?: AnnotationPlace): void {
    this.log(`warning: ${at(place)}${message}`);
  }
  notice(message: string, place?: AnnotationPlace): void {
    this.log(`notice: ${at(place)}${message}`);
  }
  fail(message: string, place?: AnnotationPlace): void {
    this.failure = `${at(place)}${message}`;
  }
  mask(value: string): void {
    if (value) this.masked.push(value);
  }
  async group<T>(_name: string, step: () => Promise<T>): Promise<T> {
    return step();
  }

  private log(line: string): void {
    this.logs.push(line);
    this.echo?.(line);
  }
}

function at(place: AnnotationPlace | undefined): string {
  if (!place?.file) return '';
  return place.line ? `${place.file}:${place.line}: ` : `${place.file}: `;
}
