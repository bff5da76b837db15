import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// Astro always runs from the project root; import.meta.url would point into a bundled chunk
// during `astro build`, so the examples are found from the working directory instead.
export const examplesRoot = join(process.cwd(), 'examples');

export function stageDir(stage: string): string {
  return join(examplesRoot, stage);
}

// .data/ holds a stage's database when it runs from its folder: the reader's, not the stage's.
const skipped = new Set(['node_modules', '.data', '.DS_Store']);

export interface StageFile {
  path: string;
  bytes: number;
}

/** Every file a reader sees in a stage, with forward-slash paths relative to the stage. */
export function listStageFiles(stage: string): StageFile[] {
  const root = stageDir(stage);
  const files: StageFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (skipped.has(name)) continue;
      const full = join(dir, name);
      const info = statSync(full);
      if (info.isDirectory()) walk(full);
      else files.push({ path: relative(root, full).split(sep).join('/'), bytes: info.size });
    }
  };
  walk(root);
  return files;
}

/** Stage folders present under examples/ (the contract suite is not a stage). */
export function listStages(): string[] {
  return readdirSync(examplesRoot)
    .filter((name) => /^\d\d-/.test(name) && statSync(join(examplesRoot, name)).isDirectory())
    .sort();
}

/** The id a stage page gives each file, so excerpts can link straight to it. */
export function fileAnchor(path: string): string {
  return 'file-' + path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
