import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HclScanError, scanHcl, type Token } from './hcl-scan.js';

/** One `variable` block of a root module: its name and whether it has a `default` (even `null`). */
export interface DeclaredVariable {
  name: string;
  hasDefault: boolean;
  file: string;
}

/** Every variable block in the .tf files of a directory (Terraform reads *.tf of one directory, not below). */
export function readModuleVariables(workingDirectory: string): DeclaredVariable[] {
  const files = readdirSync(workingDirectory)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  return files.flatMap((file) => {
    try {
      return declaredVariables(readFileSync(path.join(workingDirectory, file), 'utf8'), file);
    } catch (error) {
      if (error instanceof HclScanError)
        throw new Error(`cannot read ${workingDirectory}/${file}: ${error.message}`);
      throw error;
    }
  });
}

/** The variable blocks of one file, found at the top level only (a `variable` word elsewhere is not one). */
export function declaredVariables(source: string, file = '<source>'): DeclaredVariable[] {
  const tokens = scanHcl(source).filter(
    (token, i, all) => token.kind !== 'newline' || all[i - 1]?.kind !== 'newline',
  );
  const found: DeclaredVariable[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'punct' && '{[('.includes(token.value)) depth++;
    else if (token.kind === 'punct' && '}])'.includes(token.value)) depth--;
    else if (depth === 0 && isWord(token, 'variable') && atStatementStart(tokens, i)) {
      const label = tokens[i + 1];
      const open = tokens[i + 2];
      if (label && (label.kind === 'string' || label.kind === 'ident') && isPunct(open, '{')) {
        const body = blockBody(tokens, i + 2);
        found.push({ name: label.value, hasDefault: hasAttribute(body, 'default'), file });
        i = body.end;
      }
    }
  }
  return found;
}

const isWord = (token: Token | undefined, word: string) => token?.kind === 'ident' && token.value === word;
const isPunct = (token: Token | undefined, value: string) => token?.kind === 'punct' && token.value === value;

function atStatementStart(tokens: Token[], i: number): boolean {
  const before = tokens[i - 1];
  return before === undefined || before.kind === 'newline' || isPunct(before, '{') || isPunct(before, '}');
}

/** The tokens between the `{` at `open` and its matching `}` (exclusive), and the index of that `}`. */
function blockBody(tokens: Token[], open: number): { tokens: Token[]; end: number } {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind === 'punct' && '{[('.includes(token.value)) depth++;
    if (token?.kind === 'punct' && '}])'.includes(token.value)) depth--;
    if (depth === 0) return { tokens: tokens.slice(open + 1, i), end: i };
  }
  throw new HclScanError('a variable block is not closed');
}

/** `name =` at the block's own level (not inside a nested validation block or an object value). */
function hasAttribute(body: { tokens: Token[] }, name: string): boolean {
  let depth = 0;
  const tokens = body.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'punct' && '{[('.includes(token.value)) depth++;
    else if (token.kind === 'punct' && '}])'.includes(token.value)) depth--;
    else if (depth === 0 && isWord(token, name) && isPunct(tokens[i + 1], '=')) {
      const before = tokens[i - 1];
      if (before === undefined || before.kind === 'newline') return true;
    }
  }
  return false;
}
