/**
 * Just enough of GitHub's expression language to fill a step's `with:` the way the runner would, for the
 * forms these workflows use: contexts (vars.X, inputs.x, env.X, github.run_id, needs.j.outputs.o),
 * string/number/boolean literals, ==, !=, &&, || and parentheses. `a && 'x' || 'y'` works as in GitHub:
 * && and || return one of their operands, '' / false / 0 / null are falsy. Calls without arguments
 * (the status functions always(), success(), failure(), cancelled()) read `context.functions`.
 * (docs.github.com, "Evaluate expressions in workflows and actions": operators and falsy values)
 */
export type Context = Record<string, unknown>;
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/**
 * Functions with arguments, as GitHub defines them (docs.github.com, "Evaluate expressions in workflows
 * and actions", Functions): format('{0}…', …) with {{ }} escapes, fromJSON, toJSON, contains (string
 * case-insensitive substring, or array element).
 */
const CALLS: Record<string, (...args: Value[]) => Value> = {
  format: (template, ...args) =>
    String(template).replace(/\{(\d+)\}|\{\{|\}\}/g, (m, i: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const arg = args[Number(i)];
      if (arg === undefined) throw new Error(`format: no argument {${i}}`);
      return arg === null ? '' : String(arg);
    }),
  fromJSON: (text) => JSON.parse(String(text)) as Value,
  toJSON: (value) => JSON.stringify(value, null, 2),
  contains: (search, item) =>
    Array.isArray(search)
      ? search.some((x) => String(x).toLowerCase() === String(item).toLowerCase())
      : String(search).toLowerCase().includes(String(item).toLowerCase()),
};

export function evaluate(expression: string, context: Context): Value {
  const tokens =
    expression.match(
      /'(?:[^']|'')*'|==|!=|&&|\|\||[()![\],]|\.[A-Za-z_][\w-]*|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?/g,
    ) ?? [];
  let i = 0;
  // && and || short-circuit, as GitHub's do: the side not taken is parsed but not evaluated (no call runs,
  // so fromJSON('') behind a false test does not fail).
  let dry = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] as string;
  const truthy = (v: Value) => v !== '' && v !== false && v !== 0 && v !== null;
  /** Property access: a missing property, or any property of null, is null (GitHub does not fail). */
  const property = (at: Value, key: string): Value => {
    if (at === null || typeof at !== 'object') return null;
    const value = (at as Record<string, Value>)[key];
    return value === undefined ? null : value;
  };
  function postfix(start: Value): Value {
    let value = start;
    for (;;) {
      if (peek()?.startsWith('.')) value = property(value, next().slice(1));
      else if (peek() === '[') {
        next();
        const key = or();
        next();
        value = property(value, String(key));
      } else return value;
    }
  }
  function primary(): Value {
    const token = next();
    if (token === '(') {
      const value = or();
      next();
      return postfix(value);
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(' && tokens[i + 1] === ')') {
      i += 2;
      if (dry) return null;
      const fn = (context.functions as Record<string, () => Value> | undefined)?.[token];
      if (!fn) throw new Error(`expression calls ${token}(), which this evaluator does not know`);
      return fn();
    }
    if (peek() === '(') {
      const fn = CALLS[token];
      if (!fn) throw new Error(`expression calls ${token}(...), which this evaluator does not know`);
      next();
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') next();
      }
      next();
      return postfix(dry ? null : fn(...args));
    }
    const value = token
      .split('.')
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], context);
    return postfix(value === undefined ? '' : (value as Value));
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
      if (!truthy(left)) dry++;
      const right = compare();
      if (!truthy(left)) dry--;
      left = truthy(left) ? right : left;
    }
    return left;
  }
  function or(): Value {
    let left = and();
    while (peek() === '||') {
      next();
      if (truthy(left)) dry++;
      const right = and();
      if (truthy(left)) dry--;
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
    return result === null ? '' : typeof result === 'object' ? JSON.stringify(result) : String(result);
  });
}
