import { describe, expect, it } from '@jest/globals';
import { parseBackupUri } from '../../src/backup/layout.js';
import { parseRestoreInputs } from '../../src/phases/restore/inputs.js';
import { parseValidateInputs } from '../../src/phases/validate/inputs.js';
import { parseDnsLabel } from '../../src/validation/dns1123.js';
import { parseImageRef } from '../../src/validation/image-ref.js';
import { parseInstanceId } from '../../src/validation/instance-id.js';
import { parseS3Uri } from '../../src/validation/s3-uri.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('shared validators for values that reach the runner', () => {
  it('accepts DNS-1123 labels and refuses shell text, uppercase and overlong names', () => {
    expect(parseDnsLabel('namespace', 'jobintel')).toBe('jobintel');
    for (const bad of [
      'jobintel; rm -rf /',
      'JobIntel',
      '-jobintel',
      'jobintel-',
      'job_intel',
      'a'.repeat(64),
      '$(id)',
      '',
    ]) {
      expect(() => parseDnsLabel('namespace', bad)).toThrow(/input 'namespace'/);
    }
    expect(() => parseDnsLabel('job-cronjob', 'a'.repeat(53), 52)).toThrow(/at most 52/);
  });

  it('accepts an image pinned by digest', () => {
    expect(parseImageRef('image-ref', `ghcr.io/example/jobintel@${DIGEST}`, false)).toEqual({
      ref: `ghcr.io/example/jobintel@${DIGEST}`,
      repository: 'ghcr.io/example/jobintel',
      digest: DIGEST,
    });
    expect(parseImageRef('image-ref', `localhost:5000/team/app:1.2@${DIGEST}`, false).tag).toBe('1.2');
  });

  it('refuses a tag unless allow-image-tag, a short digest and an empty digest', () => {
    expect(() => parseImageRef('image-ref', 'ghcr.io/example/jobintel:1.4.2', false)).toThrow(
      /not pinned by digest.*allow-image-tag=true/,
    );
    expect(parseImageRef('image-ref', 'ghcr.io/example/jobintel:1.4.2', true)).toMatchObject({
      tag: '1.4.2',
    });
    expect(() => parseImageRef('image-ref', 'ghcr.io/example/jobintel@sha256:abc123', false)).toThrow(
      /64 lowercase hex/,
    );
    expect(() => parseImageRef('image-ref', 'ghcr.io/example/jobintel@sha256:', true)).toThrow(
      /64 lowercase hex/,
    );
    expect(() =>
      parseImageRef('image-ref', `ghcr.io/example/jobintel@sha256:${'A'.repeat(64)}`, false),
    ).toThrow(/64 lowercase hex/);
    expect(() => parseImageRef('image-ref', `ghcr.io/x; rm -rf /@${DIGEST}`, false)).toThrow(
      /not an image reference/,
    );
  });

  it('parses s3 URIs and instance ids strictly', () => {
    expect(parseS3Uri('u', 's3://my-bucket/a/b/')).toEqual({ bucket: 'my-bucket', key: 'a/b' });
    for (const bad of [
      'https://my-bucket/a',
      's3://My_Bucket/a',
      's3://bucket/a/../b',
      "s3://bucket/a'b;c d",
    ]) {
      expect(() => parseS3Uri('u', bad)).toThrow(/input 'u'/);
    }
    expect(parseInstanceId('instance-id', 'i-0123456789abcdef0')).toBe('i-0123456789abcdef0');
    for (const bad of ['i-123', 'i-0123456789ABCDEF0', 'i-0123456789abcdef0;id', 'mi-0123456789abcdef0']) {
      expect(() => parseInstanceId('instance-id', bad)).toThrow(/not an EC2 instance id/);
    }
  });

  it('parses backup URIs into bucket, folder and id', () => {
    expect(parseBackupUri('backup-uri', 's3://b-1/batch/backups/2026-11-21T0300Z/')).toMatchObject({
      bucket: 'b-1',
      folder: 'batch/backups/2026-11-21T0300Z',
      backupId: '2026-11-21T0300Z',
    });
    expect(parseBackupUri('backup-uri', 's3://b-1/backups/x').folder).toBe('backups/x');
    expect(() => parseBackupUri('backup-uri', 's3://b-1/batch/backups')).toThrow(/backups\/<backup_id>/);
  });
});

describe('restore and validate inputs', () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const base = {
    'instance-id': 'i-0123456789abcdef0',
    namespace: 'jobintel',
    'job-timeout-seconds': '900',
    'ready-timeout-seconds': '60',
  };

  it('refuses namespace `jobintel; rm -rf /` for both phases', () => {
    const evil = { ...base, namespace: 'jobintel; rm -rf /' };
    expect(() => parseValidateInputs(read(evil))).toThrow(
      /input 'namespace': 'jobintel; rm -rf \/' is not a DNS-1123 name/,
    );
    expect(() =>
      parseRestoreInputs(
        read({
          ...evil,
          'backup-uri': 's3://b-1/backups/x',
          'state-claim': 'jobintel-state',
          'wait-seconds': '120',
          'restore-path': '/var/lib/standby/r',
          'timeout-seconds': '60',
        }),
      ),
    ).toThrow(/input 'namespace'/);
  });

  it('requires a digest-pinned image and a CronJob when run-job is true', () => {
    const job = {
      ...base,
      'run-job': 'true',
      'job-cronjob': 'jobintel-daily',
      'job-timeout-seconds': '900',
      'ready-timeout-seconds': '60',
    };
    expect(() => parseValidateInputs(read(job))).toThrow(/input 'image-ref': is required/);
    expect(() =>
      parseValidateInputs(read({ ...job, 'image-ref': 'ghcr.io/example/jobintel:latest' })),
    ).toThrow(/not pinned by digest/);
    const parsed = parseValidateInputs(
      read({
        ...job,
        'image-ref': `ghcr.io/example/jobintel@${DIGEST}`,
        cronjobs: '["jobintel-daily","jobintel-hourly"]',
      }),
    );
    expect(parsed.job?.image.digest).toBe(DIGEST);
    expect(parsed.cronjobs).toEqual(['jobintel-daily', 'jobintel-hourly']);
  });

  it('refuses restore paths that are relative or climb', () => {
    const restore = {
      ...base,
      'backup-uri': 's3://b-1/backups/x',
      'state-claim': 'state',
      'timeout-seconds': '60',
      'wait-seconds': '120',
    };
    expect(parseRestoreInputs(read(restore)).restorePath).toBe('/var/lib/standby/volumes/jobintel/state');
    for (const bad of [
      'var/lib/x',
      '/var/../etc',
      '/var/lib/x y',
      '/',
      '/etc',
      '/etc/standby',
      '/var/lib/standby',
      '/var/lib/standby-x/y',
      '/var/lib/standby/../../etc',
      '/var/lib/standby/work/x',
    ]) {
      expect(() => parseRestoreInputs(read({ ...restore, 'restore-path': bad }))).toThrow(
        /input 'restore-path'/,
      );
    }
  });
});
