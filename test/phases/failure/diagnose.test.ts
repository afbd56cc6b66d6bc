import { describe, expect, it } from '@jest/globals';
import { diagnose, failedJobs } from '../../../src/phases/failure/diagnose.js';
import { parseFailureInputs } from '../../../src/phases/failure/inputs.js';
import type { Receipt } from '../../../src/receipts/envelope.js';
import type { StoredReceipt } from '../../../src/receipts/store.js';

function stored(phase: Receipt['phase'], sequence: number, error: Receipt['error']): StoredReceipt {
  const receipt = { phase, sequence, status: error ? 'failed' : 'ok', error } as Receipt;
  return {
    key: `r/x/${phase}.json`,
    uri: `s3://b/r/x/${phase}.json`,
    sha256: 'a'.repeat(64),
    bytes: 1,
    body: Buffer.from(''),
    receipt,
  };
}

const needs = {
  'check-health': { result: 'success' },
  'restore-precheck': { result: 'success' },
  bringup: { result: 'success' },
  validate: { result: 'failure' },
  restore: { result: 'failure' },
  teardown: { result: 'cancelled' },
};

describe('failure diagnosis', () => {
  it('orders failed jobs by pipeline position, cancelled last', () => {
    expect(failedJobs(needs)).toEqual([
      { job: 'restore', result: 'failure' },
      { job: 'validate', result: 'failure' },
      { job: 'teardown', result: 'cancelled' },
    ]);
  });

  it("takes the error and reason from the failed phase's own receipt", () => {
    const receipts = [
      stored('bringup', 3, null),
      stored('restore', 5, { message: 'sha256 mismatch on state.tar.zst', reason: 'integrity' }),
    ];
    const found = diagnose(needs, receipts);
    expect(found).toMatchObject({
      phase: 'restore',
      reason: 'integrity',
      message: 'sha256 mismatch on state.tar.zst',
      jobResult: 'failure',
    });
    expect(found.receiptUri).toBe('s3://b/r/x/restore.json');
  });

  it('says so, without inventing a reason, when the job died before writing a receipt', () => {
    const found = diagnose(needs, [stored('bringup', 3, null)], 'validate');
    expect(found.reason).toBe('job_failed');
    expect(found.message).toContain("job 'validate' ended 'failure' without a failed receipt");
    expect(found.receiptUri).toBeNull();
  });

  it('parses toJSON(needs) strictly', () => {
    const read = (raw: string) => (name: string) => (name === 'job-results' ? raw : '');
    expect(parseFailureInputs(read(JSON.stringify(needs))).jobResults.validate?.result).toBe('failure');
    expect(() => parseFailureInputs(read('not json'))).toThrow("input 'job-results'");
    expect(() => parseFailureInputs(read('{"x": {}}'))).toThrow("job 'x' has no result");
    expect(() => parseFailureInputs(read('[]'))).toThrow("input 'job-results'");
  });
});
