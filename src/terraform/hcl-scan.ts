/**
 * A small HCL lexer: just enough to find a module's `variable` blocks and whether each has a `default`.
 * It understands what can hide a brace or a keyword: comments (#, //, block comments), quoted strings
 * with escapes and nested ${...} / %{...} templates, and heredocs (<<EOF, <<-EOF). Anything else is
 * punctuation, identifiers and newlines. (Terraform's own parser is Go; the bundle cannot carry it.)
 */
export type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'punct'; value: string }
  | { kind: 'newline' };

export class HclScanError extends Error {
  override name = 'HclScanError';
}

export function scanHcl(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (offset = 0) => source[i + offset] ?? '';
  while (i < source.length) {
    const c = at();
    if (c === '\n') {
      tokens.push({ kind: 'newline' });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && at(1) === '/')) i = lineEnd(source, i);
    else if (c === '/' && at(1) === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new HclScanError('unterminated /* comment');
      i = end + 2;
    } else if (c === '"') {
      const end = quotedEnd(source, i);
      tokens.push({ kind: 'string', value: source.slice(i + 1, end - 1) });
      i = end;
    } else if (c === '<' && at(1) === '<' && /[-A-Za-z_]/.test(at(2))) {
      const heredoc = heredocEnd(source, i);
      tokens.push({ kind: 'string', value: heredoc.body });
      i = heredoc.end;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', value: match[0] });
      i += match[0].length;
    } else if ((c === '=' || c === '!' || c === '<' || c === '>') && at(1) === '=') {
      tokens.push({ kind: 'punct', value: `${c}=` });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end < 0 ? source.length : end;
}

/** Index just past the closing quote of the string opening at `start`, templates nested. */
function quotedEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n') throw new HclScanError('newline inside a quoted string');
    else if ((c === '$' || c === '%') && source[i + 1] === '{') {
      if (source[i - 1] === c)
        i += 2; // $${ and %%{ are literal
      else i = templateEnd(source, i + 2);
    } else i++;
  }
  throw new HclScanError('unterminated string');
}

/** Index just past the `}` that closes a template opened before `from`; strings inside may nest. */
function templateEnd(source: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '"') i = quotedEnd(source, i);
    else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      if (depth === 0) return i;
    } else i++;
  }
  throw new HclScanError('unterminated template interpolation');
}

function heredocEnd(source: string, start: number): { body: string; end: number } {
  const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(source.slice(start));
  if (!header) throw new HclScanError('malformed heredoc');
  const marker = header[1] as string;
  let i = start + header[0].length;
  const bodyStart = i;
  while (i <= source.length) {
    const end = lineEnd(source, i);
    if (source.slice(i, end).trim() === marker) return { body: source.slice(bodyStart, i), end };
    if (end >= source.length) break;
    i = end + 1;
  }
  throw new HclScanError(`heredoc <<${marker} has no closing ${marker} line`);
}
