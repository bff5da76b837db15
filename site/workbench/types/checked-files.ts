// Which files the editor's TypeScript is asked about, and the options it checks them with.
// Shared by the build (which collects the declaration files a stage needs) and the browser.

/**
 * The examples' tsconfig (examples/tsconfig.json) as far as the editor's TypeScript knows it.
 * Bundler resolution instead of nodenext: the editor has no real file system to tell
 * CommonJS from ESM, and it resolves `.ts` imports and package "exports" the same way here.
 * Numbers, not the enums: the browser must not load TypeScript to name them.
 */
export const editorCompilerOptions = {
  target: 99, // ESNext
  lib: ['es2023', 'esnext.disposable'],
  module: 99, // ESNext
  moduleResolution: 100, // Bundler
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  erasableSyntaxOnly: true,
  verbatimModuleSyntax: true,
  noUncheckedIndexedAccess: true,
  isolatedModules: true,
  esModuleInterop: true,
  skipLibCheck: true,
  allowNonTsExtensions: true,
};

const typescript = /\.[cm]?ts$/;

/**
 * A stage file whose type errors the reader sees. Solutions (exercise/solution/) keep only the
 * files they change, laid over the stage's own paths, so where they lie their imports point
 * at files that do not exist: the stage's tsconfig excludes them too.
 */
export function isTypeChecked(path: string): boolean {
  return typescript.test(path) && !path.endsWith('.d.ts') && !path.startsWith('exercise/solution/');
}
