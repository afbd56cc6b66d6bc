// The three shapes of state the backup benches archive (issue 24): small (32,768 × 4 KiB), mixed (~1 GiB,
// sizes log-uniform from 512 B to 256 KiB) and large (128 × 8 MiB), each scaled by `scale`. Half of the
// files are incompressible, half JSON lines. Deterministic: every run builds the same tree.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

const KIB = 1024;
const MIB = 1024 * KIB;

/** A deterministic pseudo-random sequence (xorshift32), so every run builds the same tree. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const LINE = Buffer.from(
  `${JSON.stringify({ provider: 'acme', profile: 'daily', cursor: 918273, ok: true })}\n`,
);
const TEXT = Buffer.concat(Array.from({ length: Math.ceil(MIB / LINE.length) + 1 }, () => LINE));
const RANDOM = createHash('sha512');

function content(index: number, size: number): Buffer {
  if (index % 2 === 1) {
    const text = Buffer.from(TEXT.subarray(0, size));
    if (size >= 4) text.writeUInt32LE(index, 0);
    return text;
  }
  // Incompressible: sha512 blocks of a counter (cheaper than randomBytes, as random to zstd).
  const out = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 64)
    RANDOM.copy().update(`${index}:${offset}`).digest().copy(out, offset);
  return out;
}

export function sizesOf(shape: string, scale: number): number[] {
  if (shape === 'small') return Array.from({ length: Math.round(32_768 * scale) }, () => 4 * KIB);
  if (shape === 'large') return Array.from({ length: Math.max(1, Math.round(128 * scale)) }, () => 8 * MIB);
  const next = sequence(24);
  const sizes: number[] = [];
  let total = 0;
  while (total < 1024 * MIB * scale) {
    const size = Math.round(512 * 2 ** (next() * 9)); // 512 B .. 256 KiB, log-uniform
    sizes.push(size);
    total += size;
  }
  return sizes;
}

export function makeTree(root: string, sizes: number[]) {
  sizes.forEach((size, i) => {
    const dir = path.join(root, `d${String(i % 64).padStart(2, '0')}`, `e${String(Math.floor(i / 64) % 16)}`);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(path.join(dir, `f${i}.bin`), 'w');
    for (let written = 0; written < size; written += MIB)
      writeSync(fd, content(i, Math.min(MIB, size - written)));
    closeSync(fd);
  });
}
