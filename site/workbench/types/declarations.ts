// Build time: the type declarations each stage's code reaches (@types/node, cockatiel, pg and
// the packages their declarations import in turn), found by TypeScript's own module
// resolution with the editor's options, so the editor resolves exactly what was shipped.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { listStageFiles, listStages, stageDir } from '../../lib/stages.ts';
import { editorCompilerOptions, isTypeChecked } from './checked-files.ts';
import { groupByPackage, packageSlug, trimPackageJson } from './packages.ts';

const root = process.cwd();
const projectPath = (file: string) => relative(root, file).split(sep).join('/');

export interface StageDeclarations {
  /** Stage -> slugs of the packages its files need, in a stable order. */
  stages: Record<string, string[]>;
  /** Slug -> that package's files, {"node_modules/cockatiel/dist/index.d.ts": text, ...}. */
  packages: Map<string, Record<string, string>>;
}

// The options as the compiler API wants them: lib names are file names there, and the
// standard library is left out (the editor brings its own, and only node_modules matter here).
const options: ts.CompilerOptions = {
  ...(editorCompilerOptions as unknown as ts.CompilerOptions),
  lib: undefined,
  noLib: true,
  // The editor hands @types/node over as a whole; here it must be asked for by name.
  types: ['node'],
};

/** The node_modules files a stage's checked files reach: declarations and the package.json files read. */
function reachedFiles(stage: string, sourceFiles: Map<string, ts.SourceFile | undefined>): string[] {
  const rootNames = listStageFiles(stage)
    .filter(({ path }) => isTypeChecked(path))
    .map(({ path }) => join(stageDir(stage), path));
  const host = ts.createCompilerHost(options);
  const packageJsons = new Set<string>();
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = readFile(file);
    if (text !== undefined && file.endsWith('/package.json') && file.includes('/node_modules/')) packageJsons.add(file);
    return text;
  };
  // Twelve stages share most of their declarations: parse each file once.
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) => {
    if (!sourceFiles.has(file)) sourceFiles.set(file, getSourceFile(file, language));
    return sourceFiles.get(file);
  };
  const program = ts.createProgram({ rootNames, options, host });
  const declarations = program
    .getSourceFiles()
    .map((file) => file.fileName)
    .filter((file) => file.includes('/node_modules/'));
  return [...declarations, ...packageJsons].map(projectPath);
}

let cached: StageDeclarations | undefined;

export function stageDeclarations(): StageDeclarations {
  if (cached) return cached;
  const sourceFiles = new Map<string, ts.SourceFile | undefined>();
  const stages: Record<string, string[]> = {};
  const packages = new Map<string, Record<string, string>>();
  for (const stage of listStages()) {
    // A package whose package.json was read but that gave no declarations (pg, whose types
    // are @types/pg) resolves the same in the editor without it: it is left out.
    const groups = new Map([...groupByPackage(reachedFiles(stage, sourceFiles))].filter(([, files]) => files.some((file) => !file.endsWith('/package.json'))));
    stages[stage] = [...groups.keys()].map(packageSlug);
    for (const [dir, files] of groups) {
      const slug = packageSlug(dir);
      const served = packages.get(slug) ?? {};
      for (const file of files) {
        if (file in served || !existsSync(join(root, file))) continue;
        const text = readFileSync(join(root, file), 'utf8');
        served[file] = file.endsWith('/package.json') ? trimPackageJson(text) : text;
      }
      packages.set(slug, served);
    }
  }
  cached = { stages, packages };
  return cached;
}
