import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of every file under a folder. */
export function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const full = join(dir, name);
    const info = statSync(full);
    return sum + (info.isDirectory() ? folderBytes(full) : info.size);
  }, 0);
}
