/**
 * CRC-64/NVME, the function behind S3's CRC64NVME checksum (reflected polynomial 0x9A6C9329AC4BC9B5,
 * init and xorout all ones; check value of "123456789" is 0xAE8B14860A799888). S3 reports it base64 of
 * the 8 big-endian bytes. Multipart uploads use it because it is S3's only always-full-object checksum
 * (docs/restore.md). Slicing-by-16 in a small WebAssembly module (src/backup/crc64nvme-wasm.ts); the
 * tables are built here, over 32-bit halves (no BigInt per entry).
 */
import { type Crc64NvmeKernel, instantiateKernel, SCRATCH, SCRATCH_BYTES } from './crc64nvme-wasm.js';

/** The reflected polynomial, whole (src/backup/crc64nvme-combine.ts) and as the two 32-bit halves used here. */
export const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;
const POLY_HI = Number(CRC64NVME_POLY >> 32n);
const POLY_LO = Number(CRC64NVME_POLY & 0xffffffffn);
const SLICES = 16;

/** Table k maps a byte to the CRC of that byte followed by k zero bytes: slicing-by-16's tables. */
function buildSlices(): { hi: Uint32Array[]; lo: Uint32Array[] } {
  const hi = Array.from({ length: SLICES }, () => new Uint32Array(256));
  const lo = Array.from({ length: SLICES }, () => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let h = 0;
    let l = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    (hi[0] as Uint32Array)[i] = h;
    (lo[0] as Uint32Array)[i] = l;
  }
  for (let k = 1; k < SLICES; k++) {
    const [ph, pl, h0, l0] = [hi[k - 1], lo[k - 1], hi[0], lo[0]] as Uint32Array[];
    for (let i = 0; i < 256; i++) {
      const h = ph[i] as number;
      const l = pl[i] as number;
      const index = l & 0xff;
      (hi[k] as Uint32Array)[i] = ((h >>> 8) ^ (h0[index] as number)) >>> 0;
      (lo[k] as Uint32Array)[i] = (((l >>> 8) | ((h & 0xff) << 24)) ^ (l0[index] as number)) >>> 0;
    }
  }
  return { hi, lo };
}

/** The tables as the module reads them: entry i of table k, a little-endian u64, at k·2048 + i·8. */
function writeTables(view: DataView): void {
  const { hi, lo } = buildSlices();
  for (let k = 0; k < SLICES; k++) {
    for (let i = 0; i < 256; i++) {
      view.setUint32(k * 2048 + i * 8, (lo[k] as Uint32Array)[i] as number, true);
      view.setUint32(k * 2048 + i * 8 + 4, (hi[k] as Uint32Array)[i] as number, true);
    }
  }
}

let kernel: Crc64NvmeKernel | undefined;
const ALL_ONES = 0xffffffffffffffffn;

export class Crc64Nvme {
  #crc = ALL_ONES;

  update(data: Uint8Array): this {
    kernel ??= instantiateKernel(writeTables);
    const { memory, crc } = kernel;
    let state = this.#crc;
    for (let offset = 0; offset < data.length; offset += SCRATCH_BYTES) {
      const piece = data.subarray(offset, offset + SCRATCH_BYTES);
      memory.set(piece, SCRATCH);
      state = crc(SCRATCH, piece.length, state);
    }
    // The module hands back a signed i64.
    this.#crc = BigInt.asUintN(64, state);
    return this;
  }

  /** The 8 checksum bytes, big-endian, as S3 sends them. */
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(this.#crc ^ ALL_ONES);
    return out;
  }

  base64(): string {
    return this.digest().toString('base64');
  }
}
