// A stage that keeps data on disk (DATA_DIR) must find it again on the next Run: the chapter
// experiments crash a stage and start it again to see what survived. Workspaces are fresh per
// Run, so the data lives here instead, one folder per page, slot and stage, for as long as
// this server runs. A new page (a reload) starts with empty databases.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const dataPrefix = 'm2d-data-';

export interface DataDirs {
  /** The folder for this page, slot and stage; made on first use. */
  forRun(client: string, slot: string, stage: string): Promise<string>;
  removeAll(): Promise<void>;
}

export function createDataDirs(tempRoot: string = tmpdir()): DataDirs {
  let root: Promise<string> | undefined;
  const cleanUp = () => {
    if (rootPath) rmSync(rootPath, { recursive: true, force: true });
  };
  let rootPath: string | undefined;
  return {
    async forRun(client, slot, stage) {
      root ??= mkdtemp(join(tempRoot, dataPrefix)).then((path) => {
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
