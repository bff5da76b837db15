import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractRegion, stripRegionMarkers, ExcerptError, type Region } from './regions.ts';
import { stageDir } from './stages.ts';

export interface Excerpt extends Region {
  stage: string;
  file: string;
}

/** Reads a region (or, with no region, the whole file) of a stage's file; throws to fail the build. */
export function readExcerpt(stage: string, file: string, region?: string): Excerpt {
  const label = `examples/${stage}/${file}`;
  if (file.includes('..') || file.startsWith('/')) throw new ExcerptError(`excerpt path must stay inside the stage: ${label}`);
  const path = join(stageDir(stage), file);
  if (!existsSync(path)) throw new ExcerptError(`excerpt file not found: ${label}`);
  const source = readFileSync(path, 'utf8');
  if (region) return { stage, file, ...extractRegion(source, region, label) };
  const code = stripRegionMarkers(source).replace(/\n+$/, '');
  return { stage, file, name: '', startLine: 1, endLine: code.split('\n').length, code };
}
