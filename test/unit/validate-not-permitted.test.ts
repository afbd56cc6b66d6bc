import { describe, expect, it } from '@jest/globals';
import { ValidateReportSchema, validateProblems } from '../../src/runner/validate-report.js';

/** A passing validate report of an eks runner, whose access does not reach nodes, kube-system or the Namespace. */
const report = ValidateReportSchema.parse({
  schema: 'standby.validate-report/v2',
  script_version: 2,
  result: 'passed',
  api_ready: true,
  nodes: [],
  pods: [],
  namespace: { name: 'jobintel', exists: true },
  cronjobs: { expected: ['daily'], found: ['daily'], missing: [], active: [] },
  state: null,
  job: null,
  not_permitted: ['nodes', 'kube-system pods', 'namespace'],
  failures: [],
});
const expected = { namespace: 'jobintel', cronjobs: ['daily'], runJob: false, expectSuspended: true };

describe('validate: reads the runner was not permitted are accepted on eks only', () => {
  it('eks: nodes and kube-system pods out of reach are not missing', () => {
    expect(validateProblems(report, { ...expected, targetKind: 'eks' })).toEqual([]);
  });

  it('k3s (the runner is the cluster admin there): the same report fails, naming what was not read', () => {
    expect(validateProblems(report, { ...expected, targetKind: 'k3s' })).toEqual([
      'the runner could not read nodes, kube-system pods, namespace (not permitted) on a k3s target',
      'no nodes reported',
      'no kube-system pods reported',
    ]);
  });
});
