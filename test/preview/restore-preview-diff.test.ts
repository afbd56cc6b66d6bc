import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { diffAgainst, type PreviousRestore, type RestorePreview } from '../../src/preview/summary.js';
import { useEmulator } from '../helpers/emulator.js';
import { AFTER, BEFORE, image, plantBackup, restoreReport, seedDrill } from '../helpers/preview.js';
import { captureTerminal } from '../helpers/terminal.js';

useEmulator();

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
});

describe('restore preview diff against the last verified restore (issue 23.4)', () => {
  it('finds the newest verified drill (skipping a newer failed one) and lists added, removed, changed images', async () => {
    await seedDrill('4001', 3, restoreReport(BEFORE));
    // Newer, but its validate failed: not verified, so not "the last verified restore".
    await seedDrill('4242', 1, restoreReport(AFTER), 'validate');
    const backup = await plantBackup(AFTER);
    const term = captureTerminal();
    const code = await runCli(
      [
        'restore-preview',
        '--backup-uri',
        backup.uri,
        '--namespace',
        'jobintel',
        '--state-claim',
        'jobintel-state',
        '--receipt-bucket',
        'receipts',
        '--json',
      ],
      term,
    );
    expect(code).toBe(0);
    const result = JSON.parse(term.stdout.join('\n')) as RestorePreview;
    expect(result.diff).toEqual({
      against: 'drill-4001',
      added: ['ConfigMap/jobintel/settings'],
      removed: ['ConfigMap/jobintel/legacy'],
      changed_images: [
        { object: 'Deployment/jobintel/web', before: [image('a')], after: [image('b'), image('c')] },
      ],
      notes: [],
    });
    expect(term.stderr.join('\n')).toContain('drill-4242: not verified');
  });

  it('the reviewer-facing text names each change', async () => {
    await seedDrill('4001', 3, restoreReport(BEFORE));
    const backup = await plantBackup(AFTER);
    const term = captureTerminal();
    await runCli(
      [
        'restore-preview',
        '--backup-uri',
        backup.uri,
        '--namespace',
        'jobintel',
        '--state-claim',
        'jobintel-state',
        '--receipt-bucket',
        'receipts',
      ],
      term,
    );
    const text = term.stdout.join('\n');
    expect(text).toContain('Against the last verified restore');
    expect(text).toMatch(/added: .*ConfigMap\/jobintel\/settings/);
    expect(text).toMatch(/removed: .*ConfigMap\/jobintel\/legacy/);
    expect(text).toContain(`Deployment/jobintel/web`);
  });
});

describe('diffAgainst (pure)', () => {
  const plan = {
    claimants: ['Deployment/web'],
    state: null,
    objects: [
      {
        id: 'Deployment/jobintel/web',
        kind: 'Deployment',
        namespace: 'jobintel',
        name: 'web',
        images: ['x@sha256:1'],
        held: { replicas: 1 },
      },
    ],
  };
  const previous: PreviousRestore = {
    executionId: 'drill-1',
    applied: ['Deployment/jobintel/web', 'Secret/jobintel/old'],
    appliedTruncated: false,
    images: [{ object: 'Deployment/jobintel/web', images: ['x@sha256:1'] }],
    imagesRecorded: true,
  };

  it('same images are no change; a truncated previous list makes removals unknown, not empty', () => {
    expect(diffAgainst(plan, previous)).toMatchObject({
      added: [],
      removed: ['Secret/jobintel/old'],
      changed_images: [],
    });
    const truncated = diffAgainst(plan, { ...previous, appliedTruncated: true });
    expect(truncated.removed).toBeNull();
    expect(truncated.notes[0]).toContain('removals unknown');
  });

  it('a report from before images were recorded says so instead of claiming nothing changed', () => {
    const older = diffAgainst(plan, { ...previous, images: [], imagesRecorded: false });
    expect(older.changed_images).toEqual([]);
    expect(older.notes).toEqual(["drill-1's restore report records no images (an older restore.sh)"]);
  });
});
