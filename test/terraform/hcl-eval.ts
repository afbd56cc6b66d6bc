// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { isIP } from 'node:net';
import type { Block, TerraformModule } from '../helpers/terraform-modules.js';

/**
 * Enough of Terraform's expression language to render what standby's policies, trust documents and
 * derived values are made of, from the JSON that @cdktf/hcl2json returns: string templates, references
 * (var., local., each., data., resources, dynamic-block iterators), == != && || ! ?:, list and object
 * literals and a handful of functions. Anything else (for expressions, splats, unknown functions) throws,
 * so a test fails loudly instead of rendering something Terraform would not.
 *
 * References to resources and data sources are not known without a plan: they resolve from `known`
 * (e.g. 'data.aws_caller_identity.current.account_id') or to a placeholder '<path>'.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface EvalScope {
  vars: Record<string, Value>;
  module: TerraformModule;
  known?: Record<string, Value>;
  /** each.key/each.value and dynamic-block iterators, by name. */
  iterators?: Record<string, { key: Value; value: Value }>;
  /** Names bound by a for expression. */
  bindings?: Record<string, Value>;
}

// Fields declared, not parameter properties: Node runs this file with type stripping only (the fake
// terraform, test/helpers/fake-terraform-core.mjs, evaluates variable validations with it).
class Ref {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
}

type Internal = Value | Ref | undefined;

/** Evaluates one attribute value as hcl2json returned it. */
export function evaluate(raw: unknown, scope: EvalScope): Value {
  if (typeof raw === 'string') return finalize(template(raw, scope), scope);
  if (Array.isArray(raw)) return raw.map((item) => evaluate(item, scope));
  if (raw && typeof raw === 'object')
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, evaluate(v, scope)]));
  return raw as Value;
}

/** The variables a module would see: defaults, overridden by `given`; a missing required one throws. */
export function variableValues(module: TerraformModule, given: Record<string, Value>): Record<string, Value> {
  const values: Record<string, Value> = {};
  for (const [name, block] of Object.entries(module.variables)) {
    if (name in given) values[name] = withOptionalDefaults(block.type, given[name] as Value);
    else if ('default' in block) values[name] = block.default as Value;
    else throw new Error(`variable ${name} has no default and was not given`);
  }
  for (const name of Object.keys(given))
    if (!(name in module.variables)) throw new Error(`no variable ${name} in ${module.dir}`);
  return values;
}

/**
 * Terraform fills the optional attributes of a map(object({...})) variable's elements: optional(T, d)
 * with d, optional(T) with null. Only that shape (what `targets` is) is read here; other types pass as given.
 */
function withOptionalDefaults(type: unknown, value: Value): Value {
  const shape = /^\$\{map\(object\(\{([\s\S]*)\}\)\)\}$/.exec(String(type ?? ''))?.[1];
  if (!shape || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const defaults: Record<string, Value> = {};
  for (const line of shape.split('\n')) {
    const optional = /^\s*(\w+)\s*=\s*optional\((\w+(?:\(\w+\))?)(?:,\s*("[^"]*"))?\)\s*$/.exec(line);
    if (optional) defaults[optional[1] as string] = optional[3] ? (JSON.parse(optional[3]) as Value) : null;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, element]) => [
      key,
      { ...defaults, ...(element as Record<string, Value>) },
    ]),
  );
}

function finalize(value: Internal, scope: EvalScope): Value {
  if (value instanceof Ref) return resolveRef(value, scope);
  if (value === undefined) throw new Error('undefined value');
  return value;
}

function resolveRef(ref: Ref, scope: EvalScope): Value {
  const known = scope.known?.[ref.path];
  return known === undefined ? `<${ref.path}>` : known;
}

/** A string with ${...} interpolations; a string that is exactly one interpolation keeps its type. */
function template(text: string, scope: EvalScope): Internal {
  const parts: Internal[] = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      literal += `${text[i + 1]}{`;
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = matchingBrace(text, i + 1);
      const value = new Parser(text.slice(i + 2, end), scope).parseAll();
      if (i === 0 && end === text.length - 1) return value; // the whole string is one expression
      if (literal) parts.push(literal);
      literal = '';
      parts.push(value);
      i = end + 1;
    } else if (text.startsWith('%{', i)) {
      throw new Error(`template directives are not supported: ${text}`);
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal) parts.push(literal);
  return parts.map((part) => asString(finalize(part, scope))).join('');
}

/** The content of an HCL quoted string: escapes resolved outside interpolations, which stay verbatim. */
function unescapeHcl(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw.startsWith('${', i)) {
      const end = matchingBrace(raw, i + 1);
      out += raw.slice(i, end + 1);
      i = end;
    } else if (raw[i] === '\\') {
      const next = raw[++i] as string;
      out += { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }[next] ?? `\\${next}`;
    } else out += raw[i];
  }
  return out;
}

/** Index of the `}` closing the `{` at `open`, skipping quoted strings and nested braces. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in ${text}`);
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text.startsWith('${', i)) i = matchingBrace(text, i + 1);
    else if (text[i] === '"') return i;
  }
  throw new Error(`unterminated string in ${text}`);
}

function asString(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`cannot use ${JSON.stringify(value)} in a string template`);
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  tostring: (v) => asString(v as Value),
  jsonencode: (v) => JSON.stringify(v),
  tomap: (v) => v as Value,
  toset: (v) => [...new Set(v as Value[])],
  tolist: (v) => v as Value,
  setsubtract: (a, b) => (a as Value[]).filter((x) => !(b as Value[]).includes(x)),
  join: (sep, list) => (list as Value[]).map((x) => asString(x)).join(asString(sep as Value)),
  keys: (m) => Object.keys(m as object).sort(),
  values: (m) =>
    Object.keys(m as object)
      .sort()
      .map((k) => (m as Record<string, Value>)[k] as Value),
  formatlist: (format, ...lists) => {
    const n = (lists[0] as Value[]).length;
    return Array.from({ length: n }, (_, i) => {
      let k = 0;
      return asString(format as Value).replace(/%s/g, () => asString((lists[k++] as Value[])[i] as Value));
    });
  },
  trimsuffix: (s, suffix) => {
    const [text, end] = [asString(s as Value), asString(suffix as Value)];
    return end && text.endsWith(end) ? text.slice(0, -end.length) : text;
  },
  length: (v) =>
    typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : Object.keys(v as object).length,
  concat: (...lists) => (lists as Value[][]).flat(),
  flatten: (list) => (list as Value[]).flat(Number.POSITIVE_INFINITY as 1) as Value[],
  distinct: (list) => [...new Set(list as Value[])],
  contains: (list, v) => (list as Value[]).includes(v as Value),
  coalesce: (...args) => args.find((a) => a !== null && a !== '') ?? null,
  sort: (list) => [...(list as string[])].sort(),
  lower: (s) => asString(s as Value).toLowerCase(),
  urlencode: (s) => encodeURIComponent(asString(s as Value)),
  floor: (n) => Math.floor(n as number),
  merge: (...maps) => Object.assign({}, ...(maps as object[])),
  strcontains: (s, part) => asString(s as Value).includes(asString(part as Value)),
  startswith: (s, prefix) => asString(s as Value).startsWith(asString(prefix as Value)),
  endswith: (s, suffix) => asString(s as Value).endsWith(asString(suffix as Value)),
  split: (sep, s) => asString(s as Value).split(asString(sep as Value)),
  alltrue: (list) => (list as Value[]).every((v) => v === true),
  anytrue: (list) => (list as Value[]).some((v) => v === true),
  setintersection: (a, b) => (a as Value[]).filter((x) => (b as Value[]).includes(x)),
  // Terraform's regex() fails when nothing matches (can() turns that into false); RE2 and JavaScript agree
  // on the patterns standby uses (anchors, classes, counted repetition).
  regex: (pattern, s) => {
    const match = new RegExp(asString(pattern as Value)).exec(asString(s as Value));
    if (!match) throw new Error('regex: no match');
    return match.length > 1 ? (match.slice(1) as Value[]) : match[0];
  },
  // cidrhost(prefix, n): only n = 0 is used here (a validity check); it fails for anything not a CIDR block.
  cidrhost: (prefix, n) => {
    const [address, bits, ...rest] = asString(prefix as Value).split('/');
    const length = Number(bits);
    const family = isIP(address ?? '');
    if (rest.length || !family || !/^[0-9]+$/.test(bits ?? '') || length > (family === 4 ? 32 : 128))
      throw new Error(`cidrhost: invalid CIDR block ${asString(prefix as Value)}`);
    if (n !== 0) throw new Error('cidrhost: only host number 0 is supported here');
    return address as string;
  },
  timeadd: (timestamp, duration) => {
    const text = asString(timestamp as Value);
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    if (!rfc3339.test(text) || Number.isNaN(Date.parse(text)))
      throw new Error(`timeadd: not a timestamp: ${text}`);
    if (asString(duration as Value) !== '0s') throw new Error('timeadd: only "0s" is supported here');
    const parsed = new Date(text);
    // Date.parse rolls 2026-02-31 over to March; Terraform rejects it.
    if (text.startsWith(parsed.toISOString().slice(0, 10)) === false && text.endsWith('Z'))
      throw new Error('timeadd: invalid date');
    return text;
  },
};

/** Recursive descent over one expression (the text inside ${...}). */
class Parser {
  private i = 0;
  private readonly text: string;
  private readonly scope: EvalScope;
  constructor(text: string, scope: EvalScope) {
    this.text = text;
    this.scope = scope;
  }

  parseAll(): Internal {
    const value = this.conditional();
    this.space();
    if (this.i < this.text.length)
      throw new Error(`unsupported expression: ${this.text} (at '${this.text.slice(this.i)}')`);
    return value;
  }

  private space() {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }

  private value(v: Internal): Value {
    return finalize(v, this.scope);
  }

  private conditional(): Internal {
    const test = this.binary(0);
    if (!this.eat('?')) return test;
    const chosen = this.value(test) === true;
    // Terraform evaluates only the chosen result (since 0.12): the other may fail, e.g. read a
    // target that does not exist in this branch's world.
    const yes = chosen ? this.conditional() : this.skipped();
    if (!this.eat(':')) throw new Error(`expected ':' in ${this.text}`);
    const no = chosen ? this.skipped() : this.conditional();
    return chosen ? yes : no;
  }

  /** Parses a result that is not chosen; if evaluating it fails, steps over its text instead. */
  private skipped(): Internal {
    const start = this.i;
    try {
      this.conditional();
    } catch {
      this.i = this.skipResult(start);
    }
    return null;
  }

  /** Index where a conditional's result starting at `start` ends: a top-level ':' (without its own '?'), ',', or a closing bracket. */
  private skipResult(start: number): number {
    let depth = 0;
    let pending = 0;
    for (let i = start; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '"') i = closingQuote(this.text, i);
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth === 0) return i;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (depth === 0 && c === '?') pending++;
      else if (depth === 0 && c === ':' && pending === 0) return i;
      else if (depth === 0 && c === ':') pending--;
      else if (depth === 0 && c === ',') return i;
    }
    return this.text.length;
  }

  private static readonly LEVELS = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<=', '>=', '<', '>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Internal {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = (Parser.LEVELS[level] as string[]).find((candidate) => this.eat(candidate));
      if (!op) return left;
      const right = this.binary(level + 1);
      left = applyOperator(op, this.value(left), this.value(right));
    }
  }

  private unary(): Internal {
    if (this.eat('!')) return !this.value(this.unary());
    return this.postfix(this.primary());
  }

  private postfix(start: Internal): Internal {
    let value = start;
    for (;;) {
      if (this.eat('.')) {
        if (this.eat('*')) throw new Error(`splat expressions are not supported: ${this.text}`);
        value = member(value, this.identifier(), this.scope);
      } else if (this.eat('[')) {
        const key = this.value(this.conditional());
        if (!this.eat(']')) throw new Error(`expected ']' in ${this.text}`);
        value = member(value, key as string | number, this.scope);
      } else return value;
    }
  }

  private identifier(): string {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.i));
    if (!match) throw new Error(`expected a name at '${this.text.slice(this.i)}' in ${this.text}`);
    this.i += match[0].length;
    return match[0];
  }

  private primary(): Internal {
    this.space();
    const c = this.text[this.i];
    if (c === '"') return this.string();
    if (c === '(') {
      this.i++;
      const inner = this.conditional();
      if (!this.eat(')')) throw new Error(`expected ')' in ${this.text}`);
      return inner;
    }
    if (c === '[') return this.list();
    if (c === '{') return this.object();
    const number = /^-?[0-9]+(\.[0-9]+)?/.exec(this.text.slice(this.i));
    if (number) {
      this.i += number[0].length;
      return Number(number[0]);
    }
    const name = this.identifier();
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === 'null') return null;
    if (this.eat('(')) return this.call(name);
    return root(name, this.scope);
  }

  private call(name: string): Internal {
    if (name === 'can' || name === 'try') return this.guarded(name);
    const fn = FUNCTIONS[name];
    if (!fn) throw new Error(`function ${name}() is not supported by this evaluator`);
    const args: Value[] = [];
    while (!this.eat(')')) {
      args.push(this.value(this.conditional()));
      this.eat(',');
    }
    return fn(...args);
  }

  /** can(expr) and try(a, b, ...): an error while evaluating an argument is caught, not raised. */
  private guarded(name: 'can' | 'try'): Internal {
    const results: { ok: boolean; value?: Value }[] = [];
    while (!this.eat(')')) {
      const start = this.i;
      const end = this.skipExpression();
      try {
        const sub = new Parser(this.text.slice(start, end), this.scope);
        results.push({ ok: true, value: this.value(sub.parseAll()) });
      } catch {
        results.push({ ok: false });
      }
      this.i = end;
      this.eat(',');
    }
    if (name === 'can') return results[0]?.ok === true;
    const first = results.find((r) => r.ok);
    if (!first) throw new Error('try: every argument failed');
    return first.value as Value;
  }

  /** Index just past one argument (up to a top-level ',' or ')'), without evaluating it. */
  private skipExpression(): number {
    let depth = 0;
    for (let i = this.i; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '"') i = closingQuote(this.text, i);
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) return i;
    }
    throw new Error(`unterminated call in ${this.text}`);
  }

  private string(): Internal {
    const end = closingQuote(this.text, this.i);
    const body = unescapeHcl(this.text.slice(this.i + 1, end));
    this.i = end + 1;
    return template(body, this.scope);
  }

  private list(): Internal {
    this.i++;
    this.space();
    if (/^for\s/.test(this.text.slice(this.i))) return this.forList();
    const items: Value[] = [];
    while (!this.eat(']')) {
      items.push(this.value(this.conditional()));
      this.eat(',');
    }
    return items;
  }

  /** [for x in coll : expr] and [for k, v in coll : expr if cond]: the body is re-parsed per element. */
  private forList(): Internal {
    this.i += 3;
    const first = this.identifier();
    const second = this.eat(',') ? this.identifier() : undefined;
    if (!this.eat('in')) throw new Error(`expected 'in' in ${this.text}`);
    const collection = this.value(this.binary(0));
    if (!this.eat(':')) throw new Error(`expected ':' in ${this.text}`);
    const bodyStart = this.i;
    const entries: [Value, Value][] = Array.isArray(collection)
      ? collection.map((v, i) => [i, v])
      : Object.entries(collection as Record<string, Value>);
    const items: Value[] = [];
    let end = bodyStart;
    if (!entries.length) {
      // Nothing to bind: skip the body unevaluated (Terraform never evaluates it either).
      this.i = this.skipBody(']');
      this.eat(']');
      return items;
    }
    for (const [key, element] of entries) {
      const bindings = second ? { [first]: key, [second]: element } : { [first]: element };
      const sub = new Parser(this.text, { ...this.scope, bindings: { ...this.scope.bindings, ...bindings } });
      sub.i = bodyStart;
      const item = sub.value(sub.conditional());
      const keep = sub.eat('if') ? sub.value(sub.conditional()) === true : true;
      end = sub.i;
      if (keep) items.push(item);
    }
    this.i = end;
    if (!this.eat(']')) throw new Error(`expected ']' after a for expression in ${this.text}`);
    return items;
  }

  /** {for k, v in coll : key => value if cond}: like forList, the body re-parsed per element. */
  private forObject(): Internal {
    this.i += 3;
    const first = this.identifier();
    const second = this.eat(',') ? this.identifier() : undefined;
    if (!this.eat('in')) throw new Error(`expected 'in' in ${this.text}`);
    const collection = this.value(this.binary(0));
    if (!this.eat(':')) throw new Error(`expected ':' in ${this.text}`);
    const bodyStart = this.i;
    const entries: [Value, Value][] = Array.isArray(collection)
      ? collection.map((v, i) => [i, v])
      : Object.keys(collection as Record<string, Value>)
          .sort()
          .map((k) => [k, (collection as Record<string, Value>)[k] as Value]);
    const result: Record<string, Value> = {};
    let end = bodyStart;
    for (const [key, element] of entries.length ? entries : [[null, null] as [Value, Value]]) {
      const bindings = second ? { [first]: key, [second]: element } : { [first]: element };
      const sub = new Parser(this.text, { ...this.scope, bindings: { ...this.scope.bindings, ...bindings } });
      sub.i = bodyStart;
      if (!entries.length) {
        end = sub.skipBody('}');
        break;
      }
      const k = sub.value(sub.binary(0));
      if (!sub.eat('=>')) throw new Error(`expected '=>' in ${this.text}`);
      const item = sub.value(sub.conditional());
      const keep = sub.eat('if') ? sub.value(sub.conditional()) === true : true;
      end = sub.i;
      if (keep) {
        if (asString(k) in result) throw new Error(`duplicate key ${asString(k)} in a for expression`);
        result[asString(k)] = item;
      }
    }
    this.i = end;
    if (!this.eat('}')) throw new Error(`expected '}' after a for expression in ${this.text}`);
    return result;
  }

  /** Index of the `close` that ends a for expression, without evaluating its body. */
  private skipBody(close: ']' | '}'): number {
    let depth = 0;
    for (let i = this.i; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '"') i = closingQuote(this.text, i);
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === close && depth === 0) return i;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    throw new Error(`unterminated for expression in ${this.text}`);
  }

  private object(): Internal {
    this.i++;
    this.space();
    if (/^for\s/.test(this.text.slice(this.i))) return this.forObject();
    const result: Record<string, Value> = {};
    while (!this.eat('}')) {
      this.space();
      const key = this.text[this.i] === '"' ? asString(this.value(this.string())) : this.identifier();
      if (!this.eat('=') && !this.eat(':')) throw new Error(`expected '=' in object ${this.text}`);
      result[key] = this.value(this.conditional());
      this.eat(',');
    }
    return result;
  }
}

function applyOperator(op: string, left: Value, right: Value): Value {
  switch (op) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '&&':
      return left === true && right === true;
    case '||':
      return left === true || right === true;
    default: {
      const [a, b] = [left as number, right as number];
      const results: Record<string, Value> = { '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b };
      Object.assign(results, { '+': a + b, '-': a - b, '*': a * b, '/': a / b, '%': a % b });
      return results[op] as Value;
    }
  }
}

function root(name: string, scope: EvalScope): Internal {
  if (scope.bindings && name in scope.bindings) return scope.bindings[name] as Value;
  if (name === 'var') return scope.vars as Value;
  if (name === 'path') return { module: '.', root: '.' };
  if (name === 'local') return new Ref('local');
  const iterator = scope.iterators?.[name];
  if (iterator) return { key: iterator.key, value: iterator.value };
  return new Ref(name);
}

const localsInProgress = new Set<string>();

function member(target: Internal, key: string | number, scope: EvalScope): Internal {
  if (target instanceof Ref) {
    if (target.path === 'local') return local(String(key), scope);
    return new Ref(typeof key === 'number' ? `${target.path}[${key}]` : `${target.path}.${key}`);
  }
  if (target === null || typeof target !== 'object')
    throw new Error(`cannot read ${key} of ${JSON.stringify(target)}`);
  const value = (target as Record<string, Value>)[key as string];
  if (value === undefined) throw new Error(`no attribute ${key} in ${JSON.stringify(target).slice(0, 200)}`);
  return value;
}

function local(name: string, scope: EvalScope): Internal {
  if (!(name in scope.module.locals)) throw new Error(`no local ${name}`);
  if (localsInProgress.has(name)) throw new Error(`local ${name} refers to itself`);
  localsInProgress.add(name);
  try {
    return evaluate(scope.module.locals[name], { ...scope, iterators: {} });
  } finally {
    localsInProgress.delete(name);
  }
}

/** The IAM JSON policy an aws_iam_policy_document data source renders to, with dynamic blocks expanded. */
export function renderPolicyDocument(doc: Block, scope: EvalScope): PolicyJson {
  const statements = expandBlocks(doc, 'statement', scope).map(({ block, scope: inner }) =>
    renderStatement(block, inner),
  );
  return { Version: '2012-10-17', Statement: statements };
}

export interface StatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: Record<string, string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyJson {
  Version: string;
  Statement: StatementJson[];
}

function renderStatement(block: Block, scope: EvalScope): StatementJson {
  const strings = (key: string) =>
    block[key] === undefined ? undefined : (evaluate(block[key], scope) as string[]);
  const statement: StatementJson = {
    Effect: (block.effect ? evaluate(block.effect, scope) : 'Allow') as 'Allow',
  };
  if (block.sid) statement.Sid = evaluate(block.sid, scope) as string;
  for (const [key, field] of [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ] as const) {
    const list = strings(key);
    if (list) statement[field] = list;
  }
  for (const principal of (block.principals ?? []) as Block[]) {
    statement.Principal ??= {};
    const type = evaluate(principal.type, scope) as string;
    statement.Principal[type] = [
      ...(statement.Principal[type] ?? []),
      ...(evaluate(principal.identifiers, scope) as string[]),
    ];
  }
  for (const { block: condition, scope: inner } of expandBlocks(block, 'condition', scope)) {
    const test = evaluate(condition.test, inner) as string;
    const variable = evaluate(condition.variable, inner) as string;
    statement.Condition ??= {};
    statement.Condition[test] ??= {};
    if (statement.Condition[test][variable]) throw new Error(`two ${test} conditions on ${variable}`);
    statement.Condition[test][variable] = (evaluate(condition.values, inner) as Value[]).map((v) =>
      asString(v),
    );
  }
  return statement;
}

/** Static blocks of a kind plus the ones a `dynamic` block generates, each with its iterator in scope. */
export function expandBlocks(
  parent: Block,
  kind: string,
  scope: EvalScope,
): { block: Block; scope: EvalScope }[] {
  const result = ((parent[kind] ?? []) as Block[]).map((block) => ({ block, scope }));
  for (const dynamic of (parent.dynamic?.[kind] ?? []) as Block[]) {
    const collection = evaluate(dynamic.for_each, scope);
    const iterator = dynamic.iterator ? String(dynamic.iterator) : kind;
    const entries: [Value, Value][] = Array.isArray(collection)
      ? collection.map((v) => [v, v])
      : Object.entries(collection as Record<string, Value>);
    for (const [key, value] of entries)
      for (const content of (dynamic.content ?? []) as Block[])
        result.push({
          block: content,
          scope: { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } },
        });
  }
  return result;
}

/**
 * The error messages of a variable's validation blocks that fail for `value` (Terraform refuses the plan
 * with exactly these). Other variables keep `base`.
 */
export function validationErrors(
  module: TerraformModule,
  name: string,
  value: Value,
  base: Record<string, Value>,
): string[] {
  const variable = module.variables[name];
  if (!variable) throw new Error(`no variable ${name}`);
  const scope: EvalScope = { module, vars: { ...base, [name]: value } };
  return ((variable.validation ?? []) as Block[])
    .filter((validation) => evaluate(validation.condition, scope) !== true)
    .map((validation) => String(validation.error_message));
}
