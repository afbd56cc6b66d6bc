/**
 * Reads the regular files out of a POSIX tar held in memory (ustar, pax `x` headers and GNU `L` long
 * names, as GNU tar and src/backup/tar-writer.ts write them). Nothing is written to disk, so a hostile
 * name cannot land anywhere: names are only reported, and the caller decides which files it reads.
 */
export interface TarFile {
  name: string;
  body: Buffer;
}

export class TarReadError extends Error {
  override name = 'TarReadError';
}

const BLOCK = 512;

const field = (block: Buffer, start: number, length: number) => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
};

function size(block: Buffer): number {
  const text = field(block, 124, 12).trim();
  if (!/^[0-7]+$/.test(text)) throw new TarReadError(`a tar header has a size that is not octal: '${text}'`);
  return Number.parseInt(text, 8);
}

/** The `path` record of a pax extended header ("<length> path=<value>\n" records). */
function paxPath(body: Buffer): string | undefined {
  let at = 0;
  let found: string | undefined;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = Number(body.subarray(at, space).toString('ascii'));
    if (space === -1 || !Number.isInteger(length) || length <= 0)
      throw new TarReadError('a pax header is malformed');
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    if (record.startsWith('path=')) found = record.slice('path='.length);
    at += length;
  }
  return found;
}

/** restore.sh's check_listing: no absolute names, no '..', only files, directories and links. */
function refuseLikeTheRunner(name: string, type: string): void {
  if (name.startsWith('/')) throw new TarReadError(`archive entry '${name}' is an absolute path`);
  if (`/${name}/`.includes('/../')) throw new TarReadError(`archive entry '${name}' contains '..'`);
  if (!['0', '\0', '1', '2', '5'].includes(type))
    throw new TarReadError(
      `archive entry '${name}' is a device, FIFO or other special entry (type '${type}')`,
    );
}

export function readTarFiles(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= archive.length) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const bytes = size(header);
    const body = archive.subarray(at + BLOCK, at + BLOCK + bytes);
    if (body.length !== bytes) throw new TarReadError('the tar archive ends inside an entry');
    at += BLOCK + Math.ceil(bytes / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxPath(body) : field(body, 0, body.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    refuseLikeTheRunner(name, type);
    if (type === '0' || type === '\0')
      files.push({ name: name.replace(/^\.\//, ''), body: Buffer.from(body) });
  }
  return files;
}
