import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const BUNDLED_NODE = 'node_modules/node/bin/node';

/** Runs the CLI entry under a Node whose reported version is `version` (preloaded override). */
function runEntryAs(version: string) {
  const preload = `Object.defineProperty(process.versions, 'node', { value: '${version}' });`;
  return spawnSync(
    BUNDLED_NODE,
    ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, 'dist/standby.js', '--help'],
    {
      encoding: 'utf8',
    },
  );
}

describe('the CLI entry (dist/standby.js)', () => {
  it('refuses a Node without zstd in node:zlib, naming the Node it needs and the bundled one', () => {
    for (const old of ['20.20.2', '22.14.0', '23.7.0']) {
      const result = runEntryAs(old);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`this is Node ${old}`);
      expect(result.stderr).toContain('Node 22.15+');
      expect(result.stderr).toContain(BUNDLED_NODE);
      expect(result.stdout).toBe('');
    }
  });

  it('runs on a Node that has it', () => {
    for (const recent of ['22.15.0', '23.8.0', '24.9.0']) {
      const result = runEntryAs(recent);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Usage: standby');
      expect(result.status).toBe(0);
    }
  });

  it('agrees with package.json engines', () => {
    const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node;
    expect(engines).toBe('^22.15.0 || >=23.8.0');
  });
});
