import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The files and packages a module loads before any of its code runs: its static imports, followed
 * transitively (type-only imports and dynamic import() are not followed: they load nothing, or later).
 */
export function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const edges = staticEdges(file);
    for (const name of edges.packages) packages.add(name);
    for (const next of edges.files) visit(next);
  };
  visit(path.resolve(entry));
  return { files, packages };
}

// Parsed once per file for the whole test file: the closures of forty commands share most of their files,
// and parsing each again made one test take half a minute.
const edgesByFile = new Map<string, { files: string[]; packages: string[] }>();

/** What one module loads at once: the relative modules (resolved to .ts) and the packages it names. */
function staticEdges(file: string): { files: string[]; packages: string[] } {
  const known = edgesByFile.get(file);
  if (known) return known;
  const edges = { files: [] as string[], packages: [] as string[] };
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    const specifier =
      (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) ||
      (ts.isExportDeclaration(statement) && !statement.isTypeOnly)
        ? statement.moduleSpecifier
        : undefined;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    if (ts.isImportDeclaration(statement) && onlyTypes(statement)) continue;
    const name = specifier.text;
    if (!name.startsWith('.')) {
      edges.packages.push(name);
      continue;
    }
    const resolved = path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts'));
    if (existsSync(resolved)) edges.files.push(resolved);
  }
  edgesByFile.set(file, edges);
  return edges;
}

/** `import { type A, type B } from …` loads nothing at run time either. */
function onlyTypes(statement: ts.ImportDeclaration): boolean {
  const bindings = statement.importClause?.namedBindings;
  return (
    statement.importClause?.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/**
 * Every relative module a file names in an import or export ... from, type-only ones included (they tie
 * the layers together just the same for a reader and for the compiler), resolved to .ts paths.
 */
export function directImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : undefined;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    imports.push(path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts')));
  }
  return imports;
}
