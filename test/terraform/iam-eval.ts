import type { PolicyJson, StatementJson } from './hcl-eval.js';

/**
 * A small IAM policy evaluator for the questions the tests ask ("may this role do X on Y?", "does this
 * trust policy accept these claims?"), following the IAM policy evaluation rules:
 * - an explicit Deny in any matching statement wins, else any matching Allow allows, else implicit deny;
 * - Action/NotAction match case-insensitively with * and ? wildcards, Resource/NotResource and string
 *   conditions case-sensitively (StringEqualsIgnoreCase aside);
 * - all condition operators of a statement, and all keys under one operator, must hold (AND); the values
 *   listed for one key are alternatives (OR);
 * - a key missing from the request fails a positive operator and satisfies a negated one (StringNot...,
 *   ArnNot...); ...IfExists is true when the key is missing; Null tests presence;
 * - ForAllValues: every request value matches some policy value (true when the key is missing or empty:
 *   the pitfall the AWS docs warn about); ForAnyValue: at least one does (false when missing).
 * Sources: IAM User Guide, "Policy evaluation logic", "IAM JSON policy elements: Condition operators",
 * "Single-valued vs. multivalued context keys".
 */
export type ContextValue = string | string[];

export interface RequestContext {
  action: string;
  /** Omitted for a trust policy (its resource is the role itself). */
  resource?: string;
  principal?: { type: string; id: string };
  context?: Record<string, ContextValue | undefined>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export function decide(policies: PolicyJson[], request: RequestContext): Decision {
  const matching = policies.flatMap((policy) => policy.Statement).filter((s) => statementMatches(s, request));
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

export const allowed = (policies: PolicyJson[], request: RequestContext) =>
  decide(policies, request) === 'allow';

function statementMatches(statement: StatementJson, request: RequestContext): boolean {
  if (statement.Action && !statement.Action.some((a) => glob(a, request.action, true))) return false;
  if (statement.NotAction?.some((a) => glob(a, request.action, true))) return false;
  if (request.resource !== undefined) {
    if (statement.Resource && !statement.Resource.some((r) => glob(r, request.resource as string)))
      return false;
    if (statement.NotResource?.some((r) => glob(r, request.resource as string))) return false;
    if (!statement.Resource && !statement.NotResource) return false;
  }
  if (statement.Principal) {
    // type "*" with identifiers ["*"] renders as "Principal": "*": everyone.
    const everyone = statement.Principal['*']?.includes('*') === true;
    const ids = request.principal
      ? [...(statement.Principal[request.principal.type] ?? []), ...(everyone ? ['*'] : [])]
      : [];
    if (!ids.some((id) => id === '*' || id === request.principal?.id)) return false;
  }
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, values, request.context?.[key])),
  );
}

/** `*` any run of characters, `?` exactly one. */
export function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function conditionHolds(
  rawOperator: string,
  policyValues: string[],
  requestValue: ContextValue | undefined,
): boolean {
  const [qualifier, operatorWithIfExists] = rawOperator.includes(':')
    ? (rawOperator.split(':') as [string, string])
    : [undefined, rawOperator];
  const ifExists = operatorWithIfExists.endsWith('IfExists');
  const operator = ifExists ? operatorWithIfExists.slice(0, -'IfExists'.length) : operatorWithIfExists;
  const missing = requestValue === undefined;

  if (operator === 'Null') {
    const wantMissing = policyValues.map((v) => v.toLowerCase()).includes('true');
    const isMissing = missing || (Array.isArray(requestValue) && requestValue.length === 0);
    return wantMissing === isMissing;
  }
  const match = matcher(operator);
  if (qualifier && match.negated)
    throw new Error(`${rawOperator}: negated set operators are not supported here`);
  if (qualifier === 'ForAllValues') {
    const values = missing ? [] : ([] as string[]).concat(requestValue);
    return values.every((v) => policyValues.some((p) => match.test(p, v)));
  }
  if (qualifier === 'ForAnyValue') {
    const values = missing ? [] : ([] as string[]).concat(requestValue);
    return values.some((v) => policyValues.some((p) => match.test(p, v)));
  }
  if (qualifier) throw new Error(`unknown condition qualifier ${qualifier}`);
  if (missing) return ifExists || match.negated;
  if (Array.isArray(requestValue))
    throw new Error(
      `${operator} on a multivalued key needs ForAllValues: or ForAnyValue: (got ${requestValue})`,
    );
  // A negated operator holds when the value matches none of the listed values.
  if (match.negated) return !policyValues.some((p) => match.positive(p, requestValue));
  return policyValues.some((p) => match.test(p, requestValue));
}

interface Matcher {
  negated: boolean;
  /** The operator's own test (for a negated operator: "matches none of"). */
  test: (policy: string, request: string) => boolean;
  /** The positive form, for negated operators. */
  positive: (policy: string, request: string) => boolean;
}

function matcher(operator: string): Matcher {
  const positives: Record<string, (p: string, r: string) => boolean> = {
    StringEquals: (p, r) => p === r,
    StringEqualsIgnoreCase: (p, r) => p.toLowerCase() === r.toLowerCase(),
    StringLike: (p, r) => glob(p, r),
    ArnEquals: (p, r) => p === r,
    ArnLike: (p, r) => glob(p, r),
    Bool: (p, r) => p.toLowerCase() === r.toLowerCase(),
    NumericEquals: (p, r) => Number(p) === Number(r),
    NumericLessThan: (p, r) => Number(r) < Number(p),
    NumericLessThanEquals: (p, r) => Number(r) <= Number(p),
    NumericGreaterThan: (p, r) => Number(r) > Number(p),
    NumericGreaterThanEquals: (p, r) => Number(r) >= Number(p),
  };
  const negatedOf: Record<string, string> = {
    StringNotEquals: 'StringEquals',
    StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
    StringNotLike: 'StringLike',
    ArnNotEquals: 'ArnEquals',
    ArnNotLike: 'ArnLike',
    NumericNotEquals: 'NumericEquals',
  };
  const base = negatedOf[operator];
  if (base) {
    const positive = positives[base] as (p: string, r: string) => boolean;
    return { negated: true, positive, test: (p, r) => !positive(p, r) };
  }
  const positive = positives[operator];
  if (!positive) throw new Error(`condition operator ${operator} is not supported by this evaluator`);
  return { negated: false, positive, test: positive };
}
