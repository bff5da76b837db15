// The code editor: Monaco, loaded only once the reader reaches for the code. One model per
// stage file under file:///examples/<stage>/<path>, TypeScript checked with the examples' own
// compiler options against Node's type declarations, so breaking an interface shows an error.
import { followTheme, languageOf, monaco, registerLanguages } from './monaco-setup.ts';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register.js';
import type { FileMap } from '../../runtime/port.ts';

export interface EditorOptions {
  stage: string;
  files: FileMap;
  /** Problems list shown under the editor. */
  problems: HTMLElement;
  onChange(path: string, text: string): void;
  onRun(): void;
  onCopyLink(path: string, start: number, end: number): void;
}

export interface EditorController {
  open(path: string): void;
  active(): string;
  snapshot(): FileMap;
  setFiles(files: FileMap): void;
  highlight(start: number, end: number): void;
  goToLine(line: number): void;
  focus(): void;
}

// The examples' tsconfig (examples/tsconfig.json), as far as the editor's TypeScript knows it.
// Module "esnext" with bundler resolution: every stage file is ESM, relative imports name the
// .ts file, and `node:` modules come from @types/node.
const compilerOptions = {
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

// Packages a later stage imports but whose types are not shipped to the editor are `any`
// rather than a false "cannot find module".
const shims = "declare module '*';\n";

let configured = false;
function configureOnce(): void {
  if (configured) return;
  configured = true;
  registerLanguages();
  typescriptDefaults.setCompilerOptions(compilerOptions);
  typescriptDefaults.setEagerModelSync(true);
  // Until Node's types arrive, "cannot find module 'node:http'" would be a false alarm.
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
}

async function fetchFiles(url: string): Promise<FileMap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return ((await response.json()) as { files: FileMap }).files;
}

/** Node's declarations and the contract suite (which test files import), then full checking. */
async function loadTypes(): Promise<void> {
  const [node, contract] = await Promise.all([fetchFiles('/runtime/types/node.json'), fetchFiles('/runtime/files/contract.json')]);
  const libs = [
    ...Object.entries(node).map(([path, content]) => ({ filePath: `file:///${path}`, content })),
    ...Object.entries(contract)
      .filter(([path]) => path.endsWith('.ts'))
      .map(([path, content]) => ({ filePath: `file:///examples/contract/${path}`, content })),
    { filePath: 'file:///workbench/shims.d.ts', content: shims },
  ];
  typescriptDefaults.setExtraLibs(libs);
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
}

function renderProblems(list: HTMLElement, stage: string, goTo: (path: string, line: number, column: number) => void): void {
  const prefix = `file:///examples/${stage}/`;
  const markers = monaco.editor
    .getModelMarkers({})
    .filter((m) => m.severity === monaco.MarkerSeverity.Error && m.resource.toString().startsWith(prefix))
    .sort((a, b) => a.resource.toString().localeCompare(b.resource.toString()) || a.startLineNumber - b.startLineNumber);
  list.hidden = markers.length === 0;
  list.replaceChildren(
    ...markers.slice(0, 50).map((marker) => {
      const path = decodeURIComponent(marker.resource.toString().slice(prefix.length));
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${path}:${marker.startLineNumber}:${marker.startColumn} ${marker.message.split('\n')[0]}`;
      button.addEventListener('click', () => goTo(path, marker.startLineNumber, marker.startColumn));
      item.append(button);
      return item;
    }),
  );
  list.setAttribute('aria-label', markers.length === 1 ? 'Problems: 1 type error' : `Problems: ${markers.length} type errors`);
}

export function createEditor(host: HTMLElement, options: EditorOptions): EditorController {
  configureOnce();
  const { stage } = options;
  const uriOf = (path: string) => monaco.Uri.parse(`file:///examples/${stage}/${path}`);
  const models = new Map<string, monaco.editor.ITextModel>();
  for (const [path, text] of Object.entries(options.files)) {
    const uri = uriOf(path);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, languageOf(path), uri);
    if (model.getValue() !== text) model.setValue(text);
    model.onDidChangeContent(() => options.onChange(path, model.getValue()));
    models.set(path, model);
  }
  loadTypes().catch((error: unknown) => console.warn('workbench: type declarations did not load; type checking stays off', error));

  const container = document.createElement('div');
  container.className = 'wb-monaco';
  // Monaco types through EditContext, on an element that is neither an input nor
  // contenteditable, so page-wide single-key shortcuts (the site search's "/") would take the
  // reader's keystrokes. Plain keys typed in the editor stay in the editor.
  container.addEventListener('keydown', (event) => {
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
  });
  host.replaceChildren(container);
  followTheme();
  const editor = monaco.editor.create(container, {
    model: null,
    ariaLabel: 'Code editor',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 2,
    scrollBeyondLastLine: false,
    fixedOverflowWidgets: true,
    renderLineHighlightOnlyWhenFocus: true,
  });

  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
  let current = '';
  const highlights = editor.createDecorationsCollection();
  const open = (path: string) => {
    const model = models.get(path);
    if (!model || path === current) return;
    if (current) viewStates.set(current, editor.saveViewState());
    editor.setModel(model);
    const state = viewStates.get(path);
    if (state) editor.restoreViewState(state);
    current = path;
    highlights.clear();
  };
  const goTo = (path: string, line: number, column: number) => {
    open(path);
    editor.setPosition({ lineNumber: line, column });
    editor.revealPositionInCenter({ lineNumber: line, column });
    editor.focus();
  };

  monaco.editor.onDidChangeMarkers(() => renderProblems(options.problems, stage, goTo));
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun());
  editor.addAction({
    id: 'workbench.copyLineLink',
    label: 'Copy link to these lines',
    contextMenuGroupId: '9_cutcopypaste',
    run: (ed) => {
      const selection = ed.getSelection();
      if (selection) options.onCopyLink(current, selection.startLineNumber, selection.endLineNumber);
    },
  });

  return {
    open,
    active: () => current,
    snapshot: () => Object.fromEntries([...models].map(([path, model]) => [path, model.getValue()])),
    setFiles(files) {
      for (const [path, model] of models) {
        const text = files[path];
        // An edit operation rather than setValue, so Ctrl+Z in the editor can still go back.
        if (text !== undefined && model.getValue() !== text) model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      }
    },
    highlight(start, end) {
      const model = editor.getModel();
      if (!model) return;
      const last = Math.min(end, model.getLineCount());
      const first = Math.min(start, last);
      highlights.set([
        { range: new monaco.Range(first, 1, last, 1), options: { isWholeLine: true, className: 'wb-line-highlight', linesDecorationsClassName: 'wb-line-glyph' } },
      ]);
      editor.setSelection(new monaco.Selection(first, 1, last, model.getLineMaxColumn(last)));
      editor.revealLinesInCenter(first, last);
    },
    goToLine(line) {
      editor.setPosition({ lineNumber: line, column: 1 });
      editor.revealLineInCenterIfOutsideViewport(line);
    },
    focus: () => editor.focus(),
  };
}
