import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in bytes: VmHWM from /proc/self/status. Not getrusage's maxrss: Linux carries
 * the parent's peak across fork and exec, so a bench child reports at least the RSS of the bench that
 * spawned it (measured: a child of a 345 MiB parent reports maxrss 305 MiB and VmHWM 41 MiB).
 */
export function peakRssBytes(): number {
  const kib = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (!kib) throw new Error('no VmHWM in /proc/self/status (this bench measures memory on Linux only)');
  return Number(kib) * 1024;
}
