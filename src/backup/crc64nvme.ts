/**
 * CRC-64/NVME, the function behind S3's CRC64NVME checksum (reflected polynomial 0x9A6C9329AC4BC9B5,
 * init and xorout all ones; check value of "123456789" is 0xAE8B14860A799888). S3 reports it base64 of
 * the 8 big-endian bytes. Multipart uploads use it because it is S3's only always-full-object checksum
 * (docs/restore.md). Slicing-by-8 over 32-bit halves: no BigInt in the loop.
 */
/** The reflected polynomial, whole (src/backup/crc64nvme-combine.ts) and as the two 32-bit halves used here. */
export const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;
const POLY_HI = Number(CRC64NVME_POLY >> 32n);
const POLY_LO = Number(CRC64NVME_POLY & 0xffffffffn);

function buildSlices(): { hi: Uint32Array[]; lo: Uint32Array[] } {
  const hi = Array.from({ length: 8 }, () => new Uint32Array(256));
  const lo = Array.from({ length: 8 }, () => new Uint32Array(256));
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
  for (let k = 1; k < 8; k++) {
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

/** The eight slice tables, flattened: table k at [k*256, k*256+256). */
function buildTables(): { hi: Uint32Array; lo: Uint32Array } {
  const slices = buildSlices();
  const hi = new Uint32Array(2048);
  const lo = new Uint32Array(2048);
  for (let k = 0; k < 8; k++) {
    hi.set(slices.hi[k] as Uint32Array, k * 256);
    lo.set(slices.lo[k] as Uint32Array, k * 256);
  }
  return { hi, lo };
}

let tables: ReturnType<typeof buildTables> | undefined;

export class Crc64Nvme {
  #hi = 0xffffffff;
  #lo = 0xffffffff;

  update(data: Uint8Array): this {
    tables ??= buildTables();
    const { hi: H, lo: L } = tables;
    let hi = this.#hi;
    let lo = this.#lo;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    for (; i < end8; i += 8) {
      lo ^=
        (data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24);
      hi ^=
        (data[i + 4] as number) |
        ((data[i + 5] as number) << 8) |
        ((data[i + 6] as number) << 16) |
        ((data[i + 7] as number) << 24);
      // Table k sits at offset k*256: byte j of the crc indexes table 7-j.
      const a = 1792 + (lo & 0xff);
      const b = 1536 + ((lo >>> 8) & 0xff);
      const c = 1280 + ((lo >>> 16) & 0xff);
      const d = 1024 + (lo >>> 24);
      const e = 768 + (hi & 0xff);
      const f = 512 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      hi =
        (H[a] as number) ^
        (H[b] as number) ^
        (H[c] as number) ^
        (H[d] as number) ^
        (H[e] as number) ^
        (H[f] as number) ^
        (H[g] as number) ^
        (H[h] as number);
      lo =
        (L[a] as number) ^
        (L[b] as number) ^
        (L[c] as number) ^
        (L[d] as number) ^
        (L[e] as number) ^
        (L[f] as number) ^
        (L[g] as number) ^
        (L[h] as number);
    }
    for (; i < data.length; i++) {
      const index = (lo ^ (data[i] as number)) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ (L[index] as number);
      hi = (hi >>> 8) ^ (H[index] as number);
    }
    this.#hi = hi >>> 0;
    this.#lo = lo >>> 0;
    return this;
  }

  /** The 8 checksum bytes, big-endian, as S3 sends them. */
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.#hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.#lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }

  base64(): string {
    return this.digest().toString('base64');
  }
}
