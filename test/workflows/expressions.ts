/**
 * Just enough of GitHub's expression language to fill a step's `with:` the way the runner would, for the
 * forms these workflows use: contexts (vars.X, inputs.x, env.X, github.run_id, needs.j.outputs.o),
 * string/number/boolean literals, ==, !=, &&, || and parentheses. `a && 'x' || 'y'` works as in GitHub:
 * && and || return one of their operands, '' / false / 0 / null are falsy. Calls without arguments
 * (the status functions always(), success(), failure(), cancelled()) read `context.functions`.
 * (docs.github.com, "Evaluate expressions in workflows and actions": operators and falsy values)
 */
export type Context = Record<string, unknown>;
type Value = string | number | boolean | null;

export function evaluate(expression: string, context: Context): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[()!]|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] as string;
  const truthy = (v: Value) => v !== '' && v !== false && v !== 0 && v !== null;
  function primary(): Value {
    const token = next();
    if (token === '(') {
      const value = or();
      next();
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(' && tokens[i + 1] === ')') {
      i += 2;
      const fn = (context.functions as Record<string, () => Value> | undefined)?.[token];
      if (!fn) throw new Error(`expression calls ${token}(), which this evaluator does not know`);
      return fn();
    }
    const value = token
      .split('.')
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], context);
    return value === undefined ? '' : (value as Value);
  }
  function compare(): Value {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = primary();
      const equal = String(left).toLowerCase() === String(right).toLowerCase();
      left = op === '==' ? equal : !equal;
    }
    return left;
  }
  function and(): Value {
    let left = compare();
    while (peek() === '&&') {
      next();
      const right = compare();
      left = truthy(left) ? right : left;
    }
    return left;
  }
  function or(): Value {
    let left = and();
    while (peek() === '||') {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  return or();
}

/** A `with:` value: text with ${{ }} parts replaced, or the value itself when it is one expression. */
export function fill(value: unknown, context: Context): string {
  if (typeof value !== 'string') return String(value);
  return value.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) => {
    const result = evaluate(expression, context);
    return result === null ? '' : String(result);
  });
}
