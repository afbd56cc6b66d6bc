import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

// Issue 21.6-8: what users of an action expect in its repository, held to the tree it describes.
const read = (file: string) => readFileSync(path.resolve(file), 'utf8');

describe('released like an action', () => {
  it('LICENSE is the license package.json names', () => {
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
  });

  it('has SECURITY.md, CONTRIBUTING.md (with the two README commands) and a CHANGELOG', () => {
    expect(read('SECURITY.md')).toContain('Report a vulnerability');
    const readme = read('README.md');
    const contributing = read('CONTRIBUTING.md');
    for (const command of ['npm run drill', 'npm test']) {
      expect(readme).toContain(command);
      expect(contributing).toContain(command);
    }
    expect(contributing).toContain('npm run build');
    expect(read('CHANGELOG.md')).toContain('## [Unreleased]');
  });

  it('CODEOWNERS covers the workflows, Terraform and the runner scripts, each an existing path', () => {
    const owned = read('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.split(/\s+/)[0] as string);
    expect(owned).toEqual(expect.arrayContaining(['/.github/workflows/', '/terraform/', '/src/runner/']));
    for (const entry of owned)
      expect({ entry, exists: existsSync(path.resolve(`.${entry}`)) }).toEqual({ entry, exists: true });
  });

  it('Dependabot updates npm, the pinned actions and every Terraform module', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[];
    };
    const ecosystems = config.updates.map((u) => u['package-ecosystem']);
    expect(ecosystems.sort()).toEqual(['github-actions', 'npm', 'terraform']);
    const terraform = config.updates.find((u) => u['package-ecosystem'] === 'terraform');
    // Every directory with a versions.tf, at any depth (root modules and local child modules alike).
    const modules = readdirSync(path.resolve('terraform'), { recursive: true, encoding: 'utf8' })
      .filter((file) => path.basename(file) === 'versions.tf' && !file.includes('.terraform'))
      .map((file) => `/terraform/${path.dirname(file).split(path.sep).join('/')}`);
    expect(terraform?.directories?.sort()).toEqual(modules.sort());
  });
});

describe('the README', () => {
  const readme = read('README.md');

  it('names every workflow file', () => {
    const files = readdirSync(path.resolve('.github/workflows')).filter((f) => f.endsWith('.yml'));
    for (const file of files)
      expect({ file, named: readme.includes(`\`${file}\``) }).toEqual({ file, named: true });
  });

  it('pins the actions in its examples to @v1 or a full commit SHA', () => {
    const uses = [...readme.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses)
      expect({ ref, pinned: /@(v\d+|[0-9a-f]{40})$/.test(ref) }).toEqual({ ref, pinned: true });
  });
});
