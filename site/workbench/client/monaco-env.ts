// Monaco's web workers, bundled by Vite (`?worker`) into same-origin module files, so they
// load under the site's cross-origin isolation (COEP require-corp forbids foreign scripts).
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker.js?worker';

globalThis.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string) {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};
