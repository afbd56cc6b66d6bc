import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { BACKUP_ID, parseBackupTarget } from '../../src/backup/layout.js';
import { parseMetadata } from '../../src/backup/metadata-schema.js';
import { backupIdFor, parseBackupInputs } from '../../src/phases/backup/inputs.js';
import { restore, seed } from '../helpers/runner-backup.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

/**
 * Issue 19.4: backup ids are unique (millisecond time plus a random suffix) and every checker of a
 * backup id accepts and refuses the same ones: one table (test/fixtures/backup-id-cases.json).
 */
const cases = JSON.parse(readFileSync('test/fixtures/backup-id-cases.json', 'utf8')) as {
  valid: string[];
  invalid: string[];
};
const all = [
  ...cases.valid.map((id) => [id, true] as const),
  ...cases.invalid.map((id) => [id, false] as const),
];

const uriAccepted = (id: string) => {
  try {
    return parseBackupTarget('backup-uri', `s3://backups/batch/backups/${id}`).kind === 'one';
  } catch {
    return false;
  }
};
const inputAccepted = (id: string) => {
  const inputs: Record<string, string> = {
    'backup-uri': 's3://backups/batch/backups/',
    'state-dir': '/tmp/state',
    'manifests-dir': '/tmp/manifests',
    'backup-id': id,
    'single-part-max-mib': '5120',
    'part-size-mib': '64',
    'compression-level': '3',
  };
  try {
    return parseBackupInputs((name) => inputs[name] ?? '').backupId === id;
  } catch {
    return false;
  }
};
const metadataAccepted = (id: string) => {
  const artifact = { bytes: 1, sha256: 'a'.repeat(64) };
  const text = JSON.stringify({
    backup_id: id,
    created_utc: '2026-11-22T00:00:00Z',
    artifacts: { 'state.tar.zst': artifact, 'manifests.tar.zst': artifact },
  });
  try {
    return parseMetadata(text, id).backupId === id;
  } catch {
    return false;
  }
};

describe('backup ids (issue 19.4)', () => {
  it('19.4: the default id is the UTC time to the millisecond plus 8 random hex digits', () => {
    const now = new Date('2026-11-22T03:00:00.123Z');
    expect(backupIdFor(now, () => Buffer.from('9f86d081', 'hex'))).toBe('20261122T030000.123Z-9f86d081');
    // Two runs in the same millisecond (two schedules firing together) get different ids.
    const ids = new Set(Array.from({ length: 50 }, () => backupIdFor(now)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/);
    expect(cases.valid).toContain(backupIdFor(now, () => Buffer.from('9f86d081', 'hex')));
  });

  it.each(all)('19.4: %j through every TypeScript checker: accepted=%s', (id, valid) => {
    expect({
      regex: BACKUP_ID.test(id),
      uri: uriAccepted(id),
      input: inputAccepted(id),
      metadata: metadataAccepted(id),
    }).toEqual({ regex: valid, uri: valid, input: valid, metadata: valid });
  });

  it('19.4: restore.sh accepts and refuses the same backup ids (one table)', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const idRefusal = /STANDBY_BACKUP_URI (is not s3:|names no backup id)/;
    for (const [id, valid] of all) {
      const result = restore(sandbox, { STANDBY_BACKUP_URI: `s3://backups/batch/backups/${id}` });
      // An accepted id gets past input checking (and then fails to download: nothing is stored there).
      expect([id, idRefusal.test(result.report?.error ?? '')]).toEqual([id, !valid]);
    }
  });
});
