import { AwsClients } from '../aws/clients.js';
import { MemoryIO } from '../io/memory-io.js';
import type { PhaseResult } from '../phases/phase.js';
import { findPhase } from '../phases/registry.js';
import { runPhase } from '../phases/run-phase.js';
import { DEMO, seedDemoPublisher } from './demo-publisher.js';

export interface RehearsalStep {
  phase: string;
  status: PhaseResult['status'] | 'not-run';
  durationMs: number;
  note: string;
  receiptUri?: string;
}

export interface RehearsalReport {
  executionId: string;
  endpoint: string;
  steps: RehearsalStep[];
  receiptsAt: string;
}

/**
 * The local rehearsal: seeds the demo publisher on the emulator and drives the phases through the same
 * runPhase the actions use. Phases that need real infrastructure are reported as not run.
 */
export async function runRehearsal(options: {
  endpoint: string;
  executionId: string;
  progress: (line: string) => void;
}): Promise<RehearsalReport> {
  const aws = new AwsClients();
  await seedDemoPublisher(aws.s3, new Date());
  options.progress(
    `seeded demo publisher s3://${DEMO.publishBucket}/${DEMO.publishPrefix} (pointers ${DEMO.staleHours} h old)`,
  );

  const common = { 'execution-id': options.executionId, 'receipt-bucket': DEMO.receiptBucket };
  const steps: RehearsalStep[] = [];
  const started = Date.now();
  const io = new MemoryIO(
    {
      ...common,
      'publish-bucket': DEMO.publishBucket,
      'publish-prefix': DEMO.publishPrefix,
      providers: DEMO.pairs.join(','),
      'expected-marker-file': DEMO.markerFile,
      'force-run': 'true',
    },
    (line) => options.progress(`  ${line}`),
  );
  options.progress('check-health …');
  const { result, receipt } = await runPhase(findPhase('check-health'), io, { aws });
  steps.push({
    phase: 'check-health',
    status: result.status,
    durationMs: Date.now() - started,
    note: result.failure?.message ?? `needs-dr=${io.outputs['needs-dr']}, proceed=${io.outputs.proceed}`,
    receiptUri: receipt?.uri,
  });
  return {
    executionId: options.executionId,
    endpoint: options.endpoint,
    steps,
    receiptsAt: `s3://${DEMO.receiptBucket}/standby/receipts/${options.executionId}/`,
  };
}
