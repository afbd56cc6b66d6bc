import { describe, expect, it } from '@jest/globals';
import { decideIntegrity } from '../../src/backup/integrity.js';
import { assessBackupAge } from '../../src/backup/metadata.js';
import { parseMetadata } from '../../src/backup/metadata-schema.js';

const HEX = 'ab'.repeat(32);
const B64 = Buffer.from(HEX, 'hex').toString('base64');
const declared = { bytes: 100, sha256: HEX };

describe('what proves a declared sha256', () => {
  it('a FULL_OBJECT (or untyped, single-part) stored SHA256 equal to the declared one', () => {
    expect(
      decideIntegrity(declared, { size: 100, checksumSha256: B64, checksumType: 'FULL_OBJECT' }),
    ).toMatchObject({ kind: 'verified', source: 's3-full-object-sha256' });
    expect(decideIntegrity(declared, { size: 100, checksumSha256: B64, etag: '"abc"' })).toMatchObject({
      kind: 'verified',
    });
  });

  it('a different stored SHA256 is a mismatch, with no download', () => {
    const other = Buffer.from('cd'.repeat(32), 'hex').toString('base64');
    expect(
      decideIntegrity(declared, { size: 100, checksumSha256: other, checksumType: 'FULL_OBJECT' }),
    ).toMatchObject({ kind: 'mismatch' });
  });

  it('composite SHA256 (type, -N suffix or multipart ETag) and CRC64NVME-only objects are streamed', () => {
    expect(
      decideIntegrity(declared, { size: 100, checksumSha256: B64, checksumType: 'COMPOSITE' }).kind,
    ).toBe('stream');
    expect(decideIntegrity(declared, { size: 100, checksumSha256: `${B64}-3` }).kind).toBe('stream');
    expect(
      decideIntegrity(declared, {
        size: 100,
        checksumSha256: B64,
        etag: '"9b2cf535f27731c974343645a3985328-2"',
      }).kind,
    ).toBe('stream');
    expect(decideIntegrity(declared, { size: 100 }).kind).toBe('stream');
  });

  it('a size mismatch is decided first', () => {
    expect(decideIntegrity(declared, { size: 99, checksumSha256: B64 })).toMatchObject({
      kind: 'size-mismatch',
    });
  });
});

describe('metadata.json and the RPO bound', () => {
  const good = {
    backup_id: 'bk-1',
    created_utc: '2026-11-21T22:00:00.123456-05:00',
    artifacts: { 'state.tar.zst': declared, 'manifests.tar.zst': declared },
  };

  it('parses created_utc with any offset', () => {
    expect(parseMetadata(JSON.stringify(good), 'bk-1').createdUtc.toISOString()).toBe(
      '2026-11-22T03:00:00.123Z',
    );
  });

  it('names what is wrong', () => {
    expect(() => parseMetadata('nope', 'bk-1')).toThrow(/not JSON/);
    expect(() =>
      parseMetadata(JSON.stringify({ ...good, artifacts: { 'state.tar.zst': declared } }), 'bk-1'),
    ).toThrow(/must list state.tar.zst and manifests.tar.zst/);
    expect(() =>
      parseMetadata(
        JSON.stringify({
          ...good,
          artifacts: { ...good.artifacts, 'state.tar.zst': { bytes: 1, sha256: 'xyz' } },
        }),
        'bk-1',
      ),
    ).toThrow(/artifacts.state.tar.zst.sha256/);
    expect(() => parseMetadata(JSON.stringify({ ...good, created_utc: 'yesterday' }), 'bk-1')).toThrow(
      /created_utc/,
    );
    expect(() => parseMetadata(JSON.stringify(good), 'bk-2')).toThrow(
      /names backup 'bk-1' but the URI names 'bk-2'/,
    );
  });

  it('bounds the age and refuses a future backup', () => {
    const created = new Date('2026-11-21T00:00:00Z');
    expect(assessBackupAge(created, new Date('2026-11-22T01:00:00Z'), 26)).toMatchObject({
      ageHours: 25,
      ok: true,
    });
    expect(assessBackupAge(created, new Date('2026-11-22T03:00:00Z'), 26)).toMatchObject({
      ageHours: 27,
      ok: false,
    });
    expect(assessBackupAge(created, new Date('2026-11-20T23:00:00Z'), 26).reason).toContain('in the future');
  });
});
