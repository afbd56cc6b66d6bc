/**
 * A minimal ustar writer for the demo backup: regular files and directories only. Enough for
 * `tar -x` and the restore script to read; the local rehearsal needs no tar binary.
 */
export interface TarEntry {
  path: string;
  /** Omit for a directory. */
  content?: Buffer | string;
  mode?: number;
}

const BLOCK = 512;

export function createTar(entries: TarEntry[], mtime: Date): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const isDirectory = entry.content === undefined;
    const body = isDirectory ? Buffer.alloc(0) : Buffer.from(entry.content as Buffer | string);
    const name = isDirectory && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
    if (Buffer.byteLength(name) > 100) throw new Error(`tar path longer than 100 bytes: ${name}`);
    blocks.push(header(name, body.length, isDirectory, entry.mode ?? (isDirectory ? 0o755 : 0o644), mtime));
    if (body.length > 0) blocks.push(body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(BLOCK * 2)); // end-of-archive marker
  return Buffer.concat(blocks);
}

function header(name: string, size: number, isDirectory: boolean, mode: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100);
  block.write(octal(0, 8), 108); // uid
  block.write(octal(0, 8), 116); // gid
  block.write(octal(size, 12), 124);
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136);
  block.write('        ', 148); // checksum is computed with spaces here
  block.write(isDirectory ? '5' : '0', 156);
  block.write('ustar\u000000', 257);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}
