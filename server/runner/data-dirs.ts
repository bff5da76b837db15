// A stage that keeps data on disk (DATA_DIR) must find it again on the next Run: the chapter
// experiments crash a stage and start it again to see what survived. Workspaces are fresh per
// Run, so the data lives here instead, one folder per page, slot and stage, for as long as
// this server runs. A new page (a reload) starts with empty databases.
//
// The root folder is named after this server's pid (m2d-data-<pid>-XXXXXX): it goes when the
// server stops or exits, and a server killed outright leaves one that the next server removes
// once it sees that pid is gone.
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const dataPrefix = 'm2d-data-';

export interface DataDirs {
  /** The folder for this page, slot and stage; made on first use. */
  forRun(client: string, slot: string, stage: string): Promise<string>;
  removeAll(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the data folders of servers that ended without removing theirs; returns their names. */
export function removeStaleDataDirs(tempRoot: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(tempRoot);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = new RegExp(`^${dataPrefix}(\\d+)-`).exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid));
  });
  for (const name of stale) {
    try {
      rmSync(join(tempRoot, name), { recursive: true, force: true });
    } catch {
      // Someone else's folder, or busy: it is only a leftover.
    }
  }
  return stale;
}

export function createDataDirs(tempRoot: string = tmpdir()): DataDirs {
  removeStaleDataDirs(tempRoot);
  let root: Promise<string> | undefined;
  let rootPath: string | undefined;
  const cleanUp = () => {
    if (rootPath) rmSync(rootPath, { recursive: true, force: true });
  };
  return {
    async forRun(client, slot, stage) {
      root ??= mkdtemp(join(tempRoot, `${dataPrefix}${process.pid}-`)).then((path) => {
        rootPath = path;
        process.once('exit', cleanUp);
        return path;
      });
      // The names were validated by the runner (letters, digits, "-", "_"); an empty client
      // id still gets a folder of its own.
      const dir = join(await root, client || '_', slot, stage);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    async removeAll() {
      if (!root) return;
      const path = await root;
      await rm(path, { recursive: true, force: true, maxRetries: 3 });
      process.removeListener('exit', cleanUp);
      root = undefined;
      rootPath = undefined;
    },
  };
}
