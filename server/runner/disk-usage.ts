// How much a run keeps on disk: the bytes of every file under its folders, symlinks not
// followed (the workspace's node_modules is a link to the project's, which is not the run's).
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function folderBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // gone, or not made yet
  }
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await lstat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
