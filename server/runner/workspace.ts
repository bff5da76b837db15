// A run's private copy of the repo layout, so a stage resolves its imports exactly as it does
// in the repo: <ws>/examples/<stage>/ (the stage with the reader's edits),
// <ws>/examples/contract/ (shared suite, imported by relative path) and <ws>/node_modules
// (a symlink to the project's installed dependencies; nothing is installed at run time).
import { constants, rmSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RunnerError } from './errors.ts';
import { checkFilePath } from './security.ts';

export const workspacePrefix = 'm2d-run-';

// Workspaces not yet removed: if the server exits without stopping its runs, they go too.
const liveWorkspaces = new Set<string>();
process.on('exit', () => {
  for (const root of liveWorkspaces) rmSync(root, { recursive: true, force: true });
});

export interface WorkspacePaths {
  /** The folder under examples/ holding the stages and contract/. */
  examplesRoot: string;
  /** The project's node_modules, shared read-only by every run. */
  nodeModules: string;
  /** Where workspaces are created (the OS temp folder unless a test says otherwise). */
  tempRoot?: string;
}

export interface Workspace {
  root: string;
  stageDir: string;
  remove(): Promise<void>;
}

/** Refuses unless `stage` is a real folder (not a symlink) under the examples root. */
export async function checkStageFolder(examplesRoot: string, stage: string): Promise<string> {
  const dir = join(examplesRoot, stage);
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new RunnerError(404, 'unknown_stage', `There is no stage "${stage}" in the project's examples/ folder.`);
  }
  return dir;
}

// A run gets the stage's files, not what running it from its folder left behind (.data/).
const stageFilesOnly = (source: string) => !['node_modules', '.data'].includes(basename(source));

export async function createWorkspace(paths: WorkspacePaths, stage: string, files: Record<string, string>): Promise<Workspace> {
  const source = await checkStageFolder(paths.examplesRoot, stage);
  const root = await mkdtemp(join(paths.tempRoot ?? tmpdir(), workspacePrefix));
  liveWorkspaces.add(root);
  const remove = async () => {
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
    liveWorkspaces.delete(root);
  };
  try {
    const stageDir = join(root, 'examples', stage);
    const copy = { recursive: true, filter: stageFilesOnly, verbatimSymlinks: true } as const;
    await cp(source, stageDir, copy);
    const contract = join(paths.examplesRoot, 'contract');
    if ((await lstat(contract).catch(() => undefined))?.isDirectory()) await cp(contract, join(root, 'examples', 'contract'), copy);
    await symlink(paths.nodeModules, join(root, 'node_modules'), 'junction');
    for (const [path, text] of Object.entries(files)) await writeInside(stageDir, path, text);
    return { root, stageDir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Writes `text` at `path` under `dir`, refusing a path that leaves `dir` by its spelling or
 * through a symlink on the way (each existing part of the path is checked with lstat).
 */
export async function writeInside(dir: string, path: string, text: string): Promise<void> {
  checkFilePath(path);
  const parts = path.split('/');
  let current = dir;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const last = index === parts.length - 1;
    const info = await lstat(current).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      throw new RunnerError(400, 'bad_path', `The file path "${path}" was refused: "${parts.slice(0, index + 1).join('/')}" is a symbolic link.`);
    }
    if (!last) {
      if (!info) await mkdir(current);
      else if (!info.isDirectory()) throw new RunnerError(400, 'bad_path', `The file path "${path}" was refused: "${parts.slice(0, index + 1).join('/')}" is a file, not a folder.`);
    } else if (info?.isDirectory()) {
      throw new RunnerError(400, 'bad_path', `The file path "${path}" was refused: it is a folder.`);
    }
  }
  // O_NOFOLLOW: even if a symlink appeared since the check, the write does not follow it.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  await writeFile(current, text, { flag: flags });
}
