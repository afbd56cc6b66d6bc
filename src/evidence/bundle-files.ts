import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { BundleFile } from './bundle.js';

/** Every regular file under `dir`, with bundle paths using '/' whatever the platform. */
export async function readBundleDir(dir: string): Promise<BundleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: BundleFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.push({ path: relative(dir, full).split(sep).join('/'), body: await readFile(full) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The output directory must not exist or be empty: mixing two runs' files would make a bundle that
 * verifies against neither. Returns a message saying what to do, or undefined when the directory is usable.
 */
export async function refuseNonEmpty(dir: string): Promise<string | undefined> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0)
      return `${dir} is not empty (${entries.length} entries): choose a new directory or remove the old bundle first`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `${dir} is a file, not a directory: choose a directory path`;
    if (code !== 'ENOENT') throw error;
  }
  return undefined;
}

export async function writeBundleFiles(dir: string, files: BundleFile[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.body, { flag: 'wx' }); // never replaces a file
  }
}
