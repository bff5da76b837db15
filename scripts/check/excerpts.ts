// Every excerpt in the chapters resolves, and no chapter carries a pasted copy of example
// code (a fenced block whose lines also stand in an example file).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExcerpt } from '../../site/lib/excerpt.ts';
import { listStageFiles, listStages, stageDir } from '../../site/lib/stages.ts';
import { result, type CheckResult } from './report.ts';

const attribute = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** Lines long enough to be telling: a pasted copy shares several of them in a row. */
const telling = (line: string) => line.trim().length >= 25 && !line.trim().startsWith('//');

function exampleLines(): Set<string> {
  const lines = new Set<string>();
  for (const stage of listStages()) {
    for (const file of listStageFiles(stage)) {
      if (!file.path.endsWith('.ts') && !file.path.endsWith('.sql')) continue;
      for (const line of readFileSync(join(stageDir(stage), file.path), 'utf8').split('\n')) if (telling(line)) lines.add(line.trim());
    }
  }
  return lines;
}

export function checkExcerpts(chaptersDir: string, pastedRun = 3): CheckResult {
  const problems: string[] = [];
  let excerpts = 0;
  const known = exampleLines();
  for (const name of readdirSync(chaptersDir).filter((n) => n.endsWith('.mdx')).sort()) {
    const text = readFileSync(join(chaptersDir, name), 'utf8');
    for (const [tag] of text.matchAll(/<Excerpt\b[^>]*\/>/g)) {
      excerpts++;
      const stage = attribute(tag, 'stage');
      const file = attribute(tag, 'file');
      if (!stage || !file) {
        problems.push(`${name}: ${tag} needs stage and file`);
        continue;
      }
      try {
        readExcerpt(stage, file, attribute(tag, 'region'));
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
    }
    for (const [, lang, body] of text.matchAll(/```(\w*)[^\n]*\n([\s\S]*?)```/g)) {
      if (lang === 'sh' || lang === 'bash' || lang === 'http') continue;
      let run = 0;
      for (const line of body!.split('\n')) {
        run = telling(line) && known.has(line.trim()) ? run + 1 : 0;
        if (run === pastedRun) {
          problems.push(`${name}: a \`\`\`${lang} block repeats example code ("${line.trim().slice(0, 50)}…"); use <Excerpt> instead`);
          break;
        }
      }
    }
  }
  return result('excerpts resolve, no pasted example code', problems, [`${excerpts} excerpts`]);
}
