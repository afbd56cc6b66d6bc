import type { ReceiptDraft } from '../../src/receipts/store.js';

/** A receipt draft as the CLI would write it on a test machine; tests override only what they check. */
export function receiptDraft(
  fields: Partial<ReceiptDraft> & Pick<ReceiptDraft, 'execution_id' | 'phase'>,
): ReceiptDraft {
  const started = fields.started_at ?? '2026-11-22T01:00:00.000Z';
  return {
    schema: 'standby.receipt/v1',
    status: 'ok',
    started_at: started,
    ended_at: started,
    duration_ms: 0,
    source: {
      kind: 'cli',
      repository: null,
      workflow: null,
      run_id: null,
      run_attempt: null,
      commit: null,
      actor: 'test',
      event: null,
    },
    aws: { account_id: '123456789012', region: 'us-east-1', endpoint: null },
    inputs: {},
    outputs: {},
    error: null,
    ...fields,
  };
}
