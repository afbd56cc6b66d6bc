/** How an action input is declared: the code's parsing and the generated action.yml both read this. */
export interface InputSpec {
  description: string;
  required?: boolean;
  /** The default the code applies; also written into the generated action.yml. */
  default?: string;
  /** Never recorded in a receipt, never echoed. */
  secret?: boolean;
  /** Parsed strictly as true/false; the CLI offers it as a flag (`--force-run` means true). */
  boolean?: boolean;
}

/**
 * An input default that the Actions runner evaluates from the workflow context (as actions/checkout
 * does with `${{ github.token }}`). Outside a workflow the text stays unevaluated; `isUnevaluated` spots it.
 */
export function fromWorkflow(expression: string): string {
  return `\${{ ${expression} }}`;
}

export function isUnevaluated(raw: string): boolean {
  return raw.includes('${{');
}
