// What the editor's TypeScript is given, in one place for the browser (client/editor.ts and
// client/type-check.ts) and for the test that checks every stage the same way in Node
// (editor-check.test.ts): where each stage file lives, which files are TypeScript models, and
// the declarations handed over as extra libraries.
import type { FileMap } from '../../runtime/port.ts';

/** The address of a stage file's model: file:///examples/<stage>/<path>. */
export const modelAddress = (stage: string, path: string): string => `file:///examples/${stage}/${path}`;

/** Monaco's language for a file: the JavaScript files are TypeScript models too, as tsc sees them. */
export function editorLanguageOf(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  const languages: Record<string, string> = { ts: 'typescript', mts: 'typescript', cts: 'typescript', js: 'typescript', mjs: 'typescript', json: 'json', md: 'markdown', sh: 'shell', sql: 'sql', yaml: 'yaml', yml: 'yaml' };
  return languages[ext] ?? 'plaintext';
}

export interface ExtraLib {
  filePath: string;
  content: string;
}

/**
 * The stage's package declarations (one FileMap per package, as /runtime/types/packages/ serves
 * them) and the contract suite's TypeScript, which stage tests import by relative path.
 */
export function editorExtraLibs(packages: FileMap[], contract: FileMap): ExtraLib[] {
  return [
    ...packages.flatMap((files) => Object.entries(files).map(([path, content]) => ({ filePath: `file:///${path}`, content }))),
    ...Object.entries(contract)
      .filter(([path]) => path.endsWith('.ts'))
      .map(([path, content]) => ({ filePath: modelAddress('contract', path), content })),
  ];
}
