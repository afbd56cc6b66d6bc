import { describe, expect, it } from '@jest/globals';
// @ts-expect-error plain ESM build script without type declarations
import { longFunctions } from '../../scripts/lib/function-lengths.mjs';

describe('function length (docs/architecture.md: no function over 80 lines)', () => {
  it('finds no function in src/ over 80 lines, measured with the TypeScript parser', () => {
    expect(longFunctions('src', 80)).toEqual([]);
  });

  it('does find one: a fixture of 81 lines is reported with its name and length', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/standby-length-`);
    const body = Array.from({ length: 79 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    writeFileSync(`${dir}/long.ts`, `export const long = () => {\n${body}\n};\nfunction short() {}\n`);
    expect(longFunctions(dir, 80)).toEqual([{ file: `${dir}/long.ts`, line: 1, name: 'long', lines: 81 }]);
  });
});
