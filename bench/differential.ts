// Benchmark: the hand-written code issue 21 compared with a maintained library doing the same job, in one
// run (min of 7): CRC64NVME of 64 MiB (src/backup/crc64nvme.ts vs @aws-sdk/crc64-nvme) and ANSI stripping
// of 1 MiB of coloured Terraform output (the old pattern vs node:util stripVTControlCharacters).
// Run: sh scripts/bench.sh differential
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { Crc64Nvme as SdkCrc64Nvme } from '@aws-sdk/crc64-nvme';
import { Crc64Nvme } from '../src/backup/crc64nvme.js';

const ROUNDS = 7;

async function best(run: () => unknown): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await run();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

async function main() {
  const data = randomBytes(64 * 1024 * 1024);
  const chunks = Array.from({ length: 64 }, (_, i) => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
  const ours = await best(() => chunks.reduce((crc, c) => crc.update(c), new Crc64Nvme()).digest());
  const sdk = await best(() => {
    const crc = new SdkCrc64Nvme();
    for (const c of chunks) crc.update(c);
    return crc.digest();
  });
  const line =
    '\u001b[0m\u001b[1maws_instance.runner\u001b[0m: Creating... \u001b[32m[10s elapsed]\u001b[0m\n';
  const log = line.repeat(Math.ceil((1024 * 1024) / line.length));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern src/terraform/ansi.ts used to hold
  const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
  const pattern = await best(() => log.replace(ANSI, ''));
  const node = await best(() => stripVTControlCharacters(log));
  console.log(`Node ${process.version}, min of ${ROUNDS}`);
  console.log('| job | hand-written | library |');
  console.log('| --- | ---: | ---: |');
  console.log(`| CRC64NVME, 64 MiB | ${ours.toFixed(0)} ms | ${sdk.toFixed(0)} ms (@aws-sdk/crc64-nvme) |`);
  console.log(
    `| ANSI strip, 1 MiB | ${pattern.toFixed(1)} ms | ${node.toFixed(1)} ms (stripVTControlCharacters) |`,
  );
}

void main();
