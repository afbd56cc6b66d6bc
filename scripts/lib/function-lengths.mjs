// Lists the functions in TypeScript sources longer than a limit (docs/architecture.md: "no function over
// 80 lines"), using the TypeScript compiler's own parser: every function declaration, method, accessor,
// constructor, function expression and arrow function, measured from its first line to its last.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

function nameOf(node, source) {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

/** [{file, line, name, lines}] for each function of more than `limit` lines under `dir`. */
export function longFunctions(dir, limit = 80) {
  const found = [];
  for (const file of sourceFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = last - first + 1;
        if (lines > limit) found.push({ file, line: first + 1, name: nameOf(node, source), lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const long = longFunctions(process.argv[2] ?? 'src', Number(process.argv[3] ?? 80));
  for (const f of long) console.log(`${f.file}:${f.line} ${f.name}: ${f.lines} lines`);
  process.exitCode = long.length > 0 ? 1 : 0;
}
