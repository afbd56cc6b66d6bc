/** An input the operator gave is wrong. The message says which input and what a good value looks like. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`input '${input}': ${detail}`);
    this.name = 'InputError';
  }
}
