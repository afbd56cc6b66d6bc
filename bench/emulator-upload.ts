// What the upload benches against the emulator share (bench/upload-parallel.ts, bench/emulator-complete.ts):
// the random artifact they upload and the CPU time a process has used.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const MIB = 1024 * 1024;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** Writes `sizeMib` MiB of random bytes (incompressible, like a .zst) to `file`; returns their sha256. */
export function writeRandomArtifact(file: string, sizeMib: number): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  for (let written = 0; written < sizeMib; written += 16) {
    const chunk = randomBytes(Math.min(16, sizeMib - written) * MIB);
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return hash.digest('hex');
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14, 15)
}
