import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from '@jest/globals';
import { declaredVariables, readModuleVariables } from '../../src/terraform/module-variables.js';

/** What @cdktf/hcl2json (HashiCorp's HCL parser, compiled to wasm) says the same files declare. */
async function reference(dir: string) {
  const found: { name: string; hasDefault: boolean }[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort()) {
    const parsed = (await parse(file, readFileSync(path.join(dir, file), 'utf8'))) as {
      variable?: Record<string, Record<string, unknown>[]>;
    };
    for (const [name, blocks] of Object.entries(parsed.variable ?? {}))
      found.push({ name, hasDefault: 'default' in (blocks[0] ?? {}) });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

describe('readModuleVariables agrees with the HCL parser', () => {
  it.each([
    'terraform/runner',
    'terraform/orchestrator',
    'terraform/bootstrap',
    'test/fixtures/terraform/runner-contract',
  ])('%s', async (dir) => {
    const mine = readModuleVariables(dir)
      .map(({ name, hasDefault }) => ({ name, hasDefault }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(mine.length).toBeGreaterThan(2);
    expect(mine).toEqual(await reference(dir));
  });
});

describe('declaredVariables is not fooled', () => {
  it.each([
    [
      'a default inside a validation block',
      'variable "a" {\n  validation {\n    condition = true\n    default = 1\n  }\n}\n',
      false,
    ],
    ['the word default in a description string', 'variable "a" {\n  description = "default = 1"\n}\n', false],
    ['a default key inside an object default', 'variable "a" {\n  default = { default = 1 }\n}\n', true],
    ['default = null', 'variable "a" {\n  default = null\n}\n', true],
    [
      'a heredoc with a default line',
      'variable "a" {\n  description = <<-EOT\n    default = "x"\n  EOT\n}\n',
      false,
    ],
    [
      'a commented-out default',
      'variable "a" {\n  # default = 1\n  // default = 2\n  /* default = 3 */\n}\n',
      false,
    ],
    [
      'a template with braces',
      `variable "a" {\n  description = "$${'{'}join("}", ["{"])}"\n  default = "x"\n}\n`,
      true,
    ],
    ['a one-line block', 'variable "a" { default = 1 }\n', true],
    ['a bare label', 'variable a {\n  type = string\n}\n', false],
  ])('%s', async (_, source, hasDefault) => {
    expect(declaredVariables(source)).toEqual([{ name: 'a', hasDefault, file: '<source>' }]);
    const parsed = (await parse('x.tf', source)) as { variable: Record<string, Record<string, unknown>[]> };
    expect('default' in (parsed.variable.a?.[0] ?? {})).toBe(hasDefault);
  });

  it('finds only top-level variable blocks', () => {
    const source =
      'locals {\n  variable = 1\n}\nmodule "m" {\n  source = "./m"\n  variable = "x"\n}\nvariable "b" {}\n';
    expect(declaredVariables(source).map((v) => v.name)).toEqual(['b']);
  });

  it('says which file is broken', () => {
    expect(() => declaredVariables('variable "a" {\n  description = "unterminated\n}\n')).toThrow(
      'newline inside a quoted string',
    );
  });
});
