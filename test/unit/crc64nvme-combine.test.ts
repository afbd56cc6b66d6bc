import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Crc64Nvme } from '../../src/backup/crc64nvme.js';
import { combineCrc64Nvme, joinCrc64Nvme } from '../../src/backup/crc64nvme-combine.js';

/**
 * Joining part CRCs into the full-object CRC64NVME (src/backup/crc64nvme-combine.ts) must give exactly the
 * CRC of the whole bytes: it is what CompleteMultipartUpload declares for S3 to verify.
 */
const crc = (data: Uint8Array) => new Crc64Nvme().update(data).base64();

describe('CRC64NVME combine', () => {
  it.each([
    [0, 0],
    [1, 1],
    [9, 0],
    [0, 9],
    [7, 8],
    [1000, 37],
    [65_537, 1_048_583],
  ])('crc(A‖B) from crc(A), crc(B) and |B|: %d + %d bytes', (a, b) => {
    const first = randomBytes(a);
    const second = randomBytes(b);
    expect(combineCrc64Nvme(crc(first), crc(second), b)).toBe(crc(Buffer.concat([first, second])));
  });

  it('joins many uneven pieces in order, and the order matters', () => {
    const pieces = [5, 4096, 1, 77_777, 0, 300].map((n) => randomBytes(n));
    const whole = crc(Buffer.concat(pieces));
    expect(joinCrc64Nvme(pieces.map((p) => ({ crc: crc(p), bytes: p.length })))).toBe(whole);
    const swapped = [pieces[1], pieces[0], ...pieces.slice(2)] as Buffer[];
    expect(joinCrc64Nvme(swapped.map((p) => ({ crc: crc(p), bytes: p.length })))).not.toBe(whole);
  });

  it('the published check value survives a split ("1234" + "56789")', () => {
    const joined = combineCrc64Nvme(crc(Buffer.from('1234')), crc(Buffer.from('56789')), 5);
    expect(Buffer.from(joined, 'base64').toString('hex')).toBe('ae8b14860a799888');
  });
});
