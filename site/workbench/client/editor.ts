// The code editor: Monaco, loaded only once the reader reaches for the code. One model per
// stage file under file:///examples/<stage>/<path>, TypeScript checked with the examples' own
// compiler options against the real declarations of Node and of the stage's packages, so
// breaking an interface shows an error and the unmodified stage shows none.
import { followTheme, monaco, registerLanguages } from './monaco-setup.ts';
import { configureTypeScript, markerOwner, startTypeChecker } from './type-check.ts';
import { isTypeChecked } from '../types/checked-files.ts';
import { editorLanguageOf, modelAddress } from '../types/editor-inputs.ts';
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

function renderProblems(list: HTMLElement, stage: string, goTo: (path: string, line: number, column: number) => void): void {
  const prefix = modelAddress(stage, '');
  const markers = monaco.editor
    .getModelMarkers({ owner: markerOwner })
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
  registerLanguages();
  configureTypeScript();
  const { stage } = options;
  const uriOf = (path: string) => monaco.Uri.parse(modelAddress(stage, path));
  const models = new Map<string, monaco.editor.ITextModel>();
  for (const [path, text] of Object.entries(options.files)) {
    const uri = uriOf(path);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, editorLanguageOf(path), uri);
    if (model.getValue() !== text) model.setValue(text);
    models.set(path, model);
  }
  const checked = new Map([...models].filter(([path]) => isTypeChecked(path)));
  // aria-busy tells assistive technology, and the tests, that the list is still being worked out.
  const checker = startTypeChecker(stage, checked, (busy) => options.problems.setAttribute('aria-busy', String(busy)));
  for (const [path, model] of models) {
    model.onDidChangeContent(() => {
      options.onChange(path, model.getValue());
      if (checked.has(path)) checker.edited(path);
    });
  }

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
