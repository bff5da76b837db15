// Every stage as shipped has no type error in the editor, checked here in Node with the
// editor's own TypeScript: Monaco's worker class (the one the browser runs in a web worker),
// Monaco's TypeScript and standard library, the editor's compiler options, and the same
// models and declarations the browser hands it. The browser test (e2e workbench/types.spec.ts)
// runs this for a few stages through the real page; this covers all of them at a fraction of
// the time, and fails for the same reasons (a declaration left out, a wrong option).
import { URI } from 'monaco-editor/base/common/uri.js';
import { typescript } from 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
import { TypeScriptWorker, type MirrorModel } from 'monaco-editor/languages/features/typescript/tsWorker.js';
import { describe, expect, it } from 'vitest';
import { listStages } from '../../lib/stages.ts';
import type { FileMap } from '../../runtime/port.ts';
import { readStageFiles } from '../stage-files.ts';
import { editorCompilerOptions, isTypeChecked } from './checked-files.ts';
import { stageDeclarations } from './declarations.ts';
import { flattenMessage } from './diagnostics.ts';
import { editorExtraLibs, editorLanguageOf, modelAddress } from './editor-inputs.ts';

const contract = readStageFiles('contract');

/** The stage's declarations as /runtime/types/ serves them, one FileMap per package. */
function servedPackages(stage: string, leaveOut: string[] = []): FileMap[] {
  const { stages, packages } = stageDeclarations();
  return (stages[stage] ?? []).filter((slug) => !leaveOut.includes(slug)).map((slug) => packages.get(slug) ?? {});
}

// The one thing done differently from the browser: the twelve workers share their parsed
// files (the standard library, Node's declarations, the packages: the same text for every
// stage), which takes a third off this file's time. Each stage still gets a program and a
// check of its own. A parsed file is reused only for the same text: its version is the text's.
const sharedParses = typescript.createDocumentRegistry();
const versions = new Map<string, number>();
const versionOf = (text: string) => versions.get(text) ?? versions.set(text, versions.size + 1).get(text)!;

/** "path:line message" for every error the editor would list for the stage's checked files. */
async function editorErrors(stage: string, files: FileMap, packages: FileMap[]): Promise<string[]> {
  // The worker sees the page's TypeScript models (every such stage file, solutions included)
  // and is asked about the checked ones, as client/type-check.ts asks.
  const models: MirrorModel[] = Object.entries(files)
    .filter(([path]) => editorLanguageOf(path) === 'typescript')
    .map(([path, text]) => ({ uri: URI.parse(modelAddress(stage, path)), version: versionOf(text), getValue: () => text }));
  const extraLibs = Object.fromEntries(editorExtraLibs(packages, contract).map(({ filePath, content }) => [filePath, { content, version: versionOf(content) }]));
  const worker = new TypeScriptWorker({ getMirrorModels: () => models }, { compilerOptions: editorCompilerOptions, extraLibs });
  worker._languageService = typescript.createLanguageService(worker, sharedParses);
  const errors: string[] = [];
  for (const path of Object.keys(files).filter(isTypeChecked)) {
    const address = modelAddress(stage, path);
    const text = files[path] ?? '';
    for (const diagnostic of [...(await worker.getSyntacticDiagnostics(address)), ...(await worker.getSemanticDiagnostics(address))]) {
      if (diagnostic.category !== 1) continue; // the Problems list shows errors
      const line = text.slice(0, diagnostic.start ?? 0).split('\n').length;
      errors.push(`${path}:${line} ${flattenMessage(diagnostic.messageText)}`);
    }
  }
  return errors;
}

describe("the editor's type checking, every stage", () => {
  for (const stage of listStages()) {
    it(`${stage} as shipped has no type errors`, async () => {
      expect(await editorErrors(stage, readStageFiles(stage), servedPackages(stage))).toEqual([]);
    });
  }

  it('shows exactly the one error planted in a file', async () => {
    const stage = '07-surviving-the-network';
    const files = readStageFiles(stage);
    files['src/main.ts'] += "\nexport const planted: number = 'x';\n";
    const errors = await editorErrors(stage, files, servedPackages(stage));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^src\/main\.ts:\d+ Type 'string' is not assignable to type 'number'\.$/);
  });

  it("depends on the served declarations: without cockatiel's, stage 07 does not resolve it", async () => {
    const stage = '07-surviving-the-network';
    expect(stageDeclarations().stages[stage]).toContain('cockatiel');
    const errors = await editorErrors(stage, readStageFiles(stage), servedPackages(stage, ['cockatiel']));
    expect(errors.some((error) => error.includes("Cannot find module 'cockatiel'"))).toBe(true);
  });
});
