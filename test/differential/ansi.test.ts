import { describe, expect, it } from '@jest/globals';
import { stripAnsi } from '../../src/terraform/ansi.js';

// What Terraform and terminals emit, and the plain text each must become. The hand-written pattern this
// replaced, /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g,
// gave the same text on every row (docs/architecture.md, "Hand-written where a library exists").
const CASES: [raw: string, plain: string][] = [
  [
    '\u001b[0m\u001b[1mTerraform\u001b[0m has been \u001b[32msuccessfully\u001b[0m initialized!',
    'Terraform has been successfully initialized!',
  ],
  [
    '\u001b[31m╷\u001b[0m\u001b[0m\n\u001b[31m│\u001b[0m \u001b[0m\u001b[1m\u001b[31mError: \u001b[0m\u001b[0m\u001b[1mbad\u001b[0m',
    '╷\n│ Error: bad',
  ],
  ['\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007', 'link'],
  ['\u001b]8;;https://example.com\u001b\\link\u001b]8;;\u001b\\', 'link'],
  ['\u001b[2K\u001b[1G progress', ' progress'],
  ['\u001b[?25l hidden cursor \u001b[?25h', ' hidden cursor '],
  ['\u001b[38;5;208morange\u001b[39m', 'orange'],
  ['\u001b[38;2;255;0;0mred\u001b[m', 'red'],
  ['\u001b]0;title\u0007after', 'after'],
  ['\u001bMreverse index', 'reverse index'],
  ['\u001b[1;31;42mx\u001b[0m', 'x'],
  ['plain 100% [ok] ~ text', 'plain 100% [ok] ~ text'],
];

describe('ANSI stripping (node:util stripVTControlCharacters)', () => {
  it.each(CASES)('%j becomes plain text', (raw, plain) => {
    expect(stripAnsi(raw)).toBe(plain);
  });
});
