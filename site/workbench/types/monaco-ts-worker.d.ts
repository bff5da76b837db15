// Monaco ships no declarations for its TypeScript worker's modules; editor-check.test.ts runs
// that worker's class in Node, and these are the parts of it the test uses.
declare module 'monaco-editor/languages/features/typescript/tsWorker.js' {
  import type { Diagnostic } from 'monaco-editor/languages/features/typescript/register.js';

  export interface MirrorModel {
    readonly uri: { toString(skipEncoding?: boolean): string; readonly path: string };
    readonly version: number;
    getValue(): string;
  }
  export interface WorkerContext {
    getMirrorModels(): MirrorModel[];
  }
  export interface CreateData {
    compilerOptions: Record<string, unknown>;
    extraLibs: Record<string, { content: string; version: number }>;
  }
  export class TypeScriptWorker {
    constructor(ctx: WorkerContext, createData: CreateData);
    _languageService: unknown;
    getSyntacticDiagnostics(fileName: string): Promise<Diagnostic[]>;
    getSemanticDiagnostics(fileName: string): Promise<Diagnostic[]>;
  }
}

declare module 'monaco-editor/base/common/uri.js' {
  export class URI {
    static parse(value: string): URI;
    readonly path: string;
    toString(skipEncoding?: boolean): string;
  }
}

declare module 'monaco-editor/languages/features/typescript/lib/typescriptServices.js' {
  export const typescript: {
    createDocumentRegistry(): unknown;
    createLanguageService(host: object, documentRegistry?: unknown): unknown;
  };
}
