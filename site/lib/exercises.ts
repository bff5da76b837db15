import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageDir } from './stages.ts';

export interface Exercise {
  stage: string;
  /** The opening comment of exercise/check.ts: what the check verifies, in its author's words. */
  description: string;
  command: string;
  hasSolution: boolean;
}

/** The exercise of a stage, read from its check script; undefined when the stage has none. */
export function readExercise(stage: string): Exercise | undefined {
  const check = join(stageDir(stage), 'exercise', 'check.ts');
  if (!existsSync(check)) return undefined;
  const lines = readFileSync(check, 'utf8').split('\n');
  const comment: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    comment.push(line.replace(/^\/\/ ?/, ''));
  }
  // The first paragraph says what is checked; how to run it is shown separately.
  const description = comment.join('\n').split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  return { stage, description, command: 'npm run check:exercise', hasSolution: existsSync(join(stageDir(stage), 'exercise', 'solution')) };
}
