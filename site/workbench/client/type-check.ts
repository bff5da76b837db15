// The editor's type checking: the declarations a stage's code needs are fetched once the
// editor opens, then every checked file is asked about in turn and its errors become markers.
// Monaco's own checker is off: it checks only the file being edited, never tells when it is
// done, and would check the solution files too (see isTypeChecked).
import { getTypeScriptWorker, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register.js';
import type { Diagnostic } from 'monaco-editor/languages/features/typescript/register.js';
import type { FileMap } from '../../runtime/port.ts';
import { editorCompilerOptions } from '../types/checked-files.ts';
import { flattenMessage, markerSeverity } from '../types/diagnostics.ts';
import { monaco } from './monaco-setup.ts';

/** The owner of the markers this checker sets, for whoever lists them. */
export const markerOwner = 'workbench-types';

let configured = false;
export function configureTypeScript(): void {
  if (configured) return;
  configured = true;
  typescriptDefaults.setCompilerOptions({ ...editorCompilerOptions, lib: [...editorCompilerOptions.lib] });
  typescriptDefaults.setEagerModelSync(true);
  typescriptDefaults.setModeConfiguration({ ...typescriptDefaults.modeConfiguration, diagnostics: false });
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}
const fetchFiles = async (url: string) => (await fetchJson<{ files: FileMap }>(url)).files;

/** The stage's package declarations and the contract suite (which test files import by path). */
async function loadDeclarations(stage: string): Promise<void> {
  const { stages } = await fetchJson<{ stages: Record<string, string[]> }>('/runtime/types/stages.json');
  const [contract, ...packages] = await Promise.all([
    fetchFiles('/runtime/files/contract.json'),
    ...(stages[stage] ?? []).map((slug) => fetchFiles(`/runtime/types/packages/${slug}.json`)),
  ]);
  typescriptDefaults.setExtraLibs([
    ...packages.flatMap((files) => Object.entries(files).map(([path, content]) => ({ filePath: `file:///${path}`, content }))),
    ...Object.entries(contract ?? {})
      .filter(([path]) => path.endsWith('.ts'))
      .map(([path, content]) => ({ filePath: `file:///examples/contract/${path}`, content })),
  ]);
}

function toMarker(model: monaco.editor.ITextModel, diagnostic: Diagnostic): monaco.editor.IMarkerData {
  const start = model.getPositionAt(diagnostic.start ?? 0);
  const end = model.getPositionAt((diagnostic.start ?? 0) + (diagnostic.length ?? 1));
  return {
    severity: markerSeverity(diagnostic.category),
    startLineNumber: start.lineNumber,
    startColumn: start.column,
    endLineNumber: end.lineNumber,
    endColumn: end.column,
    message: flattenMessage(diagnostic.messageText),
    code: String(diagnostic.code),
  };
}

export interface TypeChecker {
  /** Checks again shortly, the edited file first: an edit can break the files that use it. */
  edited(model: monaco.editor.ITextModel): void;
}

/**
 * Checks `models` once the stage's declarations are in, then after every edit. `onBusy` tells
 * whether the markers are still being worked out. Without declarations (they did not load)
 * only syntax is checked: "cannot find module" everywhere would be a false alarm.
 */
export function startTypeChecker(stage: string, models: monaco.editor.ITextModel[], onBusy: (busy: boolean) => void): TypeChecker {
  let semantic = false;
  let pass = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async (first?: monaco.editor.ITextModel) => {
    const mine = ++pass;
    const ordered = first ? [first, ...models.filter((model) => model !== first)] : models;
    const worker = await (await getTypeScriptWorker())(...ordered.map((model) => model.uri));
    for (const model of ordered) {
      if (mine !== pass) return; // a newer pass has started
      const uri = model.uri.toString();
      const diagnostics = [...(await worker.getSyntacticDiagnostics(uri)), ...(semantic ? await worker.getSemanticDiagnostics(uri) : [])];
      if (mine !== pass || model.isDisposed()) return;
      monaco.editor.setModelMarkers(model, markerOwner, diagnostics.map((diagnostic) => toMarker(model, diagnostic)));
    }
    onBusy(false);
  };
  const run = (first?: monaco.editor.ITextModel) =>
    check(first).catch((error: unknown) => {
      console.warn('workbench: type checking failed', error);
      onBusy(false);
    });
  let ready = false;
  onBusy(true);
  loadDeclarations(stage)
    .then(() => (semantic = true))
    .catch((error: unknown) => console.warn('workbench: type declarations did not load; only syntax is checked', error))
    .finally(() => {
      ready = true;
      void run();
    });
  return {
    edited(model) {
      onBusy(true);
      if (!ready) return; // the first pass, still to come, sees the edit
      pass++; // whatever pass runs is out of date
      clearTimeout(timer);
      timer = setTimeout(() => void run(model), 400);
    },
  };
}
