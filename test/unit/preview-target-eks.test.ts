import { describe, expect, it } from '@jest/globals';
import { previewTarget } from '../../src/phases/request-approval/preview.js';
import type { Receipt } from '../../src/receipts/envelope.js';

const URI = 's3://backups/batch/backups/bk-1';
const receipt = (fields: Record<string, unknown>) => fields as unknown as Receipt;
const precheck = receipt({ outputs: { 'backup-uri': URI } });
const restoreOn = (kind: 'k3s' | 'eks', inputs: Record<string, string> = {}) =>
  receipt({
    execution_id: 'drill-20261204-0900',
    target: { name: 'default', kind },
    inputs: { namespace: 'jobintel', 'state-claim': 'jobintel-state', ...inputs },
    outputs: {},
  });

describe("the reviewer summary's preview plans for the target the restore ran on", () => {
  it('eks: the storage class the restore was given and the execution its node group is labelled with', () => {
    expect(previewTarget(precheck, restoreOn('eks', { 'storage-class': 'gp3-encrypted' }))).toEqual({
      backupUri: URI,
      target: {
        namespace: 'jobintel',
        claim: 'jobintel-state',
        restorePath: '/var/lib/standby/volumes/jobintel/jobintel-state',
        eks: { storageClass: 'gp3-encrypted', execution: 'drill-20261204-0900' },
      },
    });
    expect(previewTarget(precheck, restoreOn('eks'))).toMatchObject({
      target: { eks: { storageClass: 'gp3' } },
    });
  });

  it('k3s: the hostPath plan, as before', () => {
    expect(previewTarget(precheck, restoreOn('k3s'))).not.toHaveProperty('target.eks');
  });
});
