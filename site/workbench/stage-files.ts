// Build time: a stage's real files as text, exactly as they are on disk (region markers
// included), so the editor, the runtime and a deep link's line numbers all agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listStageFiles, listStages, stageDir } from '../lib/stages.ts';
import type { FileMap } from '../runtime/port.ts';

/** Every folder under examples/ that the browser may ask for: each stage, and the contract suite. */
export function listFileSets(): string[] {
  return [...listStages(), 'contract'];
}

export function readStageFiles(stage: string): FileMap {
  const files: FileMap = {};
  for (const { path } of listStageFiles(stage)) files[path] = readFileSync(join(stageDir(stage), path), 'utf8');
  return files;
}

/**
 * The file a reader starts in: the one `npm start` runs ("node src/shop.ts"), else the first
 * TypeScript file under src/, else the first file.
 */
export function entryFile(files: FileMap): string {
  const paths = Object.keys(files);
  try {
    const start: unknown = JSON.parse(files['package.json'] ?? '{}')?.scripts?.start;
    const named = typeof start === 'string' ? /\bnode\s+(?:--\S+\s+)*(\S+\.[cm]?[jt]s)\b/.exec(start)?.[1] : undefined;
    if (named && named in files) return named;
  } catch {
    // A broken package.json is the reader's to fix; fall through to a sensible default.
  }
  return paths.find((p) => /^src\/[^/]+\.ts$/.test(p)) ?? paths[0] ?? '';
}
