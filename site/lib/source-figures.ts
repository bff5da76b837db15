// Figures the chapters read from the stages' code at build time (see GrepCount and CodeValue).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stageDir } from './stages.ts';

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && name !== '.data')
    .flatMap((name) => filesUnder(join(path, name)));
}

/** Lines as `wc -l` counts them, over files and every file under folders. */
export function countLines(stage: string, paths: string[]): number {
  return paths
    .flatMap((path) => filesUnder(join(stageDir(stage), path)))
    .reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length - 1, 0);
}

/** Lines containing `text` (plain text), over one file or every file under a folder. */
export function countMatchingLines(stage: string, path: string, text: string): number {
  const files = filesUnder(join(stageDir(stage), path));
  const count = files.reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(text)).length, 0);
  if (count === 0) throw new Error(`no line of examples/${stage}/${path} contains "${text}": the prose that quotes this search is out of date`);
  return count;
}

/**
 * The number the code gives `name`: `const NAME = 1_000;`, in an object of settings the first
 * `name: 1_000,` (on a line of its own or inline, `{ name: 200, … }`), a fallback `options.name ?? 250`, or the default of a setting read from the
 * environment, `Number(process.env.NAME ?? 1500)` or `Number(process.env.NAME) || 1500`
 * (underscores allowed).
 */
export function readConstant(stage: string, file: string, name: string): number {
  const source = readFileSync(join(stageDir(stage), file), 'utf8');
  const number = `([\\d_]+(?:\\.\\d+)?)`;
  const forms = [
    `(?:\\bconst ${name}\\s*(?::\\s*\\w+\\s*)?=|(?:^|[{,])\\s*${name}:)\\s*${number}\\s*[;,}]`,
    `\\.${name}\\s*\\?\\?\\s*${number}\\b`,
    `\\bprocess\\.env\\.${name}\\)?\\s*(?:\\?\\?|\\|\\|)\\s*'?${number}'?`,
  ];
  for (const form of forms) {
    const match = new RegExp(form, 'm').exec(source);
    if (match) return Number(match[1]!.replace(/_/g, ''));
  }
  throw new Error(`examples/${stage}/${file} gives ${name} no number (const ${name} = …; ${name}: …, or a default: .${name} ?? …, process.env.${name} ?? …)`);
}

export interface CodeValueProps {
  stage: string;
  file: string;
  name: string;
  /**
   * Constants added to `name` first, for a time made of several: space-separated, each `NAME`
   * (in `file`) or `path:NAME` (another file of the stage), e.g.
   * "src/modules/orders/ask-again.ts:everyMs timeoutMs".
   */
  plus?: string;
  /** Multiplies the sum: times={0.001} with unit="s" turns ms into seconds. */
  times?: number | string;
  /** Shown after the number, e.g. "ms". */
  unit?: string;
}

/** The number <CodeValue /> shows: (name + every constant in `plus`) × times. */
export function codeValue({ stage, file, name, plus = '', times = 1 }: CodeValueProps): number {
  const terms = plus.split(/\s+/).filter(Boolean).map((term) => {
    const at = term.lastIndexOf(':');
    return at === -1 ? readConstant(stage, file, term) : readConstant(stage, term.slice(0, at), term.slice(at + 1));
  });
  return terms.reduce((sum, term) => sum + term, readConstant(stage, file, name)) * Number(times);
}

/** What <CodeValue /> renders, in the chapter and in the workbench's Steps panel alike. */
export function renderCodeValue(props: CodeValueProps): string {
  return `${codeValue(props).toLocaleString('en-GB')}${props.unit ? ` ${props.unit}` : ''}`;
}
