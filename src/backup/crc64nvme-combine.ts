/**
 * Joining CRC-64/NVME values (src/backup/crc64nvme.ts): the CRC of A followed by B from crc(A), crc(B) and
 * the length of B, without reading A or B again. This is zlib's crc32_combine for the 64-bit polynomial:
 * crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B), where the all-ones init and xorout cancel out. It lets each
 * multipart part be checksummed by the worker that sends it (src/backup/upload.ts) and the full-object
 * CRC be put together from the parts' values. Arithmetic is on reflected 64-bit polynomials in BigInt:
 * a few thousand steps per join, nothing per byte.
 */
import { CRC64NVME_POLY as POLY } from './crc64nvme.js';

/** x^0 (the polynomial 1) in the reflected representation. */
const ONE = 1n << 63n;

/** a·b mod P, both reflected. */
function multiplyModP(a: bigint, b: bigint): bigint {
  let product = 0n;
  let factor = b;
  for (let bit = ONE; bit > 0n; bit >>= 1n) {
    if (a & bit) product ^= factor;
    factor = factor & 1n ? (factor >> 1n) ^ POLY : factor >> 1n;
  }
  return product;
}

/** x^(2^k) mod P for k = 0, 1, ...: each the square of the one before. */
const squares: bigint[] = [ONE >> 1n];
function xToTwoToThe(k: number): bigint {
  while (squares.length <= k) {
    const last = squares[squares.length - 1] as bigint;
    squares.push(multiplyModP(last, last));
  }
  return squares[k] as bigint;
}

/** x^(8·bytes) mod P: the shift that appending `bytes` bytes applies to a CRC. */
function shiftFor(bytes: number): bigint {
  let result = ONE;
  let k = 3; // 8·bytes = bytes·2^3
  for (let n = BigInt(bytes); n > 0n; n >>= 1n, k++) {
    if (n & 1n) result = multiplyModP(xToTwoToThe(k), result);
  }
  return result;
}

const fromBase64 = (crc: string) => Buffer.from(crc, 'base64').readBigUInt64BE(0);
const toBase64 = (crc: bigint) => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(crc);
  return out.toString('base64');
};

/** CRC64NVME (base64, as S3 sends it) of `first` followed by `second`, given the second's length in bytes. */
export function combineCrc64Nvme(first: string, second: string, secondBytes: number): string {
  return toBase64(multiplyModP(shiftFor(secondBytes), fromBase64(first)) ^ fromBase64(second));
}

/** CRC64NVME of the pieces one after another, from each piece's CRC and length (in order). */
export function joinCrc64Nvme(pieces: readonly { crc: string; bytes: number }[]): string {
  const [head, ...rest] = pieces;
  if (!head) throw new Error('joinCrc64Nvme needs at least one piece');
  return rest.reduce((crc, piece) => combineCrc64Nvme(crc, piece.crc, piece.bytes), head.crc);
}
