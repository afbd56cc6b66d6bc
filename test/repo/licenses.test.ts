import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error plain ESM build script without type declarations
import { checkNothingLost, parseNccLicenses, renderLicenses } from '../../scripts/lib/licenses.mjs';

interface Entry {
  name: string;
  license: string;
  text: string;
}

const APACHE = 'Apache License\n   Version 2.0, January 2004\n\nTERMS AND CONDITIONS';
const MIT_A = 'The MIT License (MIT)\n\nCopyright 2019 GitHub\n\nPermission is hereby granted';
// Shaped like ncc's file: name, SPDX id, text, blank line. The second MIT text holds a line that looks
// like a package name followed by "MIT", but not after a blank line.
const NCC = [
  '@aws-sdk/client-s3',
  'Apache-2.0',
  APACHE,
  '',
  '@aws-sdk/client-sts',
  'Apache-2.0',
  `${APACHE}   `,
  '',
  '@aws-sdk/credential-provider-http',
  'Apache-2.0',
  '',
  'commander',
  'MIT',
  `${MIT_A}\nsoftware\nMIT`,
  '',
  'zod',
  '(MIT OR Apache-2.0)',
  'Copyright zod authors',
  '',
].join('\n');
const INSTALLED: Record<string, string> = {
  '@aws-sdk/client-s3': 'Apache-2.0',
  '@aws-sdk/client-sts': 'Apache-2.0',
  '@aws-sdk/credential-provider-http': 'Apache-2.0',
  commander: 'MIT',
  zod: '(MIT OR Apache-2.0)',
};
const installed = (name: string, id: string) => INSTALLED[name] === id;

describe('license deduplication (scripts/lib/licenses.mjs)', () => {
  const entries: Entry[] = parseNccLicenses(NCC, installed);

  it('reads every entry, including one without a license file', () => {
    expect(entries.map((e) => `${e.name} ${e.license}`)).toEqual([
      '@aws-sdk/client-s3 Apache-2.0',
      '@aws-sdk/client-sts Apache-2.0',
      '@aws-sdk/credential-provider-http Apache-2.0',
      'commander MIT',
      'zod (MIT OR Apache-2.0)',
    ]);
    expect(entries[3]?.text).toBe(`${MIT_A}\nsoftware\nMIT`);
  });

  it('writes each distinct text once and names every package it covers', () => {
    const rendered: string = renderLicenses(entries);
    expect(rendered.split('Apache License').length - 1).toBe(1);
    expect(rendered).toContain('- @aws-sdk/client-s3: Apache-2.0\n- @aws-sdk/client-sts: Apache-2.0');
    expect(rendered).toContain('without a license file');
    expect(rendered).toContain('- @aws-sdk/credential-provider-http: Apache-2.0');
    expect(() => checkNothingLost(entries, rendered)).not.toThrow();
  });

  it('notices a package or a text the rendering lost', () => {
    const rendered: string = renderLicenses(entries);
    expect(() => checkNothingLost(entries, rendered.replace('- zod: (MIT OR Apache-2.0)\n', ''))).toThrow(
      /zod/,
    );
    expect(() => checkNothingLost(entries, rendered.replace('Permission is hereby granted', ''))).toThrow(
      /commander/,
    );
  });

  it('refuses an entry-shaped line that no installed package confirms, instead of guessing', () => {
    expect(() => parseNccLicenses(`${NCC}\nleft-pad\nMIT\ntext\n`, installed)).toThrow(/left-pad/);
  });

  it('left dist/licenses.txt deduplicated: one Apache-2.0 section for the AWS SDK packages', () => {
    const dist = readFileSync('dist/licenses.txt', 'utf8');
    expect(dist).toMatch(/^Third-party software bundled in dist\/index\.js\./);
    expect(dist).toContain('- @aws-sdk/client-s3: Apache-2.0');
    expect(dist.length).toBeLessThan(120_000);
  });
});
