/**
 * The CRC-64/NVME inner loop as a small WebAssembly module (src/backup/crc64nvme.ts holds the tables and the
 * API): slicing-by-16 with 64-bit table entries, about twice the bytes per CPU second of the JavaScript
 * slicing-by-8 over 32-bit halves it replaced (docs/benchmarks.md, issue 24.2). The module is assembled here
 * from its instructions (no build step, no dependency); it exports its memory and one function,
 * `crc(ptr, len, crc) -> crc`, which runs the reflected CRC (no init or xorout) over memory[ptr, ptr+len)
 * against the 16 tables of 256 little-endian u64 at memory[0, TABLE_BYTES).
 */
export const TABLE_BYTES = 16 * 256 * 8;
/** Where the bytes to checksum are copied, and how many at a time (one 64 KiB page after the tables' page). */
export const SCRATCH = 65_536;
export const SCRATCH_BYTES = 65_536;

const uleb = (value: number): number[] => {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest ? low | 0x80 : low);
  } while (rest);
  return out;
};
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text)];

// Opcodes (WebAssembly core spec 1.0, "Instructions" / binary format).
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  i64Load: 0x29,
  i64Load8u: 0x31,
  i32Const: 0x41,
  i64Const: 0x42,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Shl: 0x74,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
};
// Parameters and locals: ptr, len, crc; then stop (ptr + len), end16 (the last whole 16 bytes), next (u64).
const [PTR, LEN, CRC, STOP, END16, NEXT] = [0, 1, 2, 3, 4, 5];

/** table[k][(word >> 8·byte) & 0xff], XORed into what is on the stack unless it is the first term. */
function lookup(word: number, byte: number, table: number, first: boolean): number[] {
  return [
    ...[op.get, word, op.i64Const, 8 * byte, op.i64ShrU, op.i32WrapI64],
    ...[op.i32Const, 0xff, 0x01, op.i32And, op.i32Const, 3, op.i32Shl],
    ...[op.i64Load, 3, ...uleb(table * 2048)],
    ...(first ? [] : [op.i64Xor]),
  ];
}

function body(): number[] {
  const bytes = [0, 1, 2, 3, 4, 5, 6, 7];
  const sixteen = [
    ...[op.get, CRC, op.get, PTR, op.i64Load, 0, 0, op.i64Xor, op.set, CRC],
    ...[op.get, PTR, op.i64Load, 0, 8, op.set, NEXT],
    // Byte j of the CRC-xored first word indexes table 15-j, byte j of the second word table 7-j.
    ...bytes.flatMap((j) => lookup(CRC, j, 15 - j, j === 0)),
    ...bytes.flatMap((j) => lookup(NEXT, j, 7 - j, false)),
    ...[op.set, CRC, op.get, PTR, op.i32Const, 16, op.i32Add, op.set, PTR],
  ];
  const one = [
    ...[op.get, CRC, op.i64Const, 8, op.i64ShrU],
    ...[op.get, CRC, op.get, PTR, op.i64Load8u, 0, 0, op.i64Xor, op.i32WrapI64],
    ...[op.i32Const, 0xff, 0x01, op.i32And, op.i32Const, 3, op.i32Shl, op.i64Load, 3, 0, op.i64Xor],
    ...[op.set, CRC, op.get, PTR, op.i32Const, 1, op.i32Add, op.set, PTR],
  ];
  const whileBelow = (limit: number, step: number[]) => [
    ...op.block,
    ...op.loop,
    ...[op.get, PTR, op.get, limit, op.i32GeU, op.brIf, 1],
    ...step,
    ...[op.br, 0, op.end, op.end],
  ];
  return [
    ...[2, 2, 0x7f, 1, 0x7e], // locals: 2 × i32, 1 × i64
    ...[op.get, PTR, op.get, LEN, op.i32Add, op.set, STOP],
    ...[op.get, PTR, op.get, LEN, op.i32Const, 0x70, op.i32And, op.i32Add, op.set, END16], // len & ~15
    ...whileBelow(END16, sixteen),
    ...whileBelow(STOP, one),
    ...[op.get, CRC, op.end],
  ];
}

/** The module's bytes: type (i32, i32, i64) -> i64, one function, a memory of 2 pages, both exported. */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  const code = body();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7e, 1, 0x7e]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 2]),
    ...section(7, [2, ...name('memory'), 2, 0, ...name('crc'), 0, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

export interface Crc64NvmeKernel {
  memory: Uint8Array;
  crc(pointer: number, length: number, crc: bigint): bigint;
}

/** The part of the WebAssembly JS API used here. src/ is type-checked (and bundled) with Node's types only,
 * which do not declare the WebAssembly global; Node provides it. */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

/** The compiled module, its tables written by `fillTables` (little-endian u64 at table·2048 + index·8). */
export function instantiateKernel(fillTables: (tables: DataView) => void): Crc64NvmeKernel {
  const instance = new wasm.Instance(new wasm.Module(kernelBytes()));
  const exports = instance.exports as { memory: { buffer: ArrayBuffer }; crc: Crc64NvmeKernel['crc'] };
  fillTables(new DataView(exports.memory.buffer, 0, TABLE_BYTES));
  return { memory: new Uint8Array(exports.memory.buffer), crc: exports.crc };
}
