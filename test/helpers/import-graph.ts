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
        packages.add(name);
        continue;
      }
      const resolved = path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts'));
      if (existsSync(resolved)) visit(resolved);
    }
  };
  visit(path.resolve(entry));
  return { files, packages };
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
