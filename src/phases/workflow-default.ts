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
