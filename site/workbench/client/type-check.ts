// The editor's type checking: the declarations a stage's code needs are fetched once the
// editor opens, then every checked file is asked about in turn and its errors become markers.
// Monaco's own checker is off: it checks only the file being edited, never tells when it is
// done, and would check the solution files too (see isTypeChecked).
import { getTypeScriptWorker, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register.js';
import type { Diagnostic } from 'monaco-editor/languages/features/typescript/register.js';
import type { FileMap } from '../../runtime/port.ts';
import { editorCompilerOptions } from '../types/checked-files.ts';
import { editorExtraLibs } from '../types/editor-inputs.ts';
import { flattenMessage, markerSeverity } from '../types/diagnostics.ts';
import { affectedBy } from '../types/importers.ts';
import { monaco } from './monaco-setup.ts';

/** The owner of the markers this checker sets, for whoever lists them. */
export const markerOwner = 'workbench-types';

let configured = false;
export function configureTypeScript(): void {
  if (configured) return;
  configured = true;
  typescriptDefaults.setCompilerOptions(editorCompilerOptions);
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
  typescriptDefaults.setExtraLibs(editorExtraLibs(packages, contract ?? {}));
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
  /** Checks again shortly the edited file and the files that import it: an edit can break them. */
  edited(path: string): void;
}

/**
 * Checks every file of `models` (path -> model) once the stage's declarations are in, then
 * after every edit the files it can affect. `onBusy` tells whether the markers are still being
 * worked out. Without declarations (they did not load) only syntax is checked: "cannot find
 * module" everywhere would be a false alarm.
 */
export function startTypeChecker(stage: string, models: Map<string, monaco.editor.ITextModel>, onBusy: (busy: boolean) => void): TypeChecker {
  let semantic = false;
  let pass = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Files whose markers are out of date, in the order to check them; a pass cut short by an
  // edit leaves the rest here for the next one.
  let stale = new Set(models.keys());
  const edits = new Set<string>();
  const check = async () => {
    const mine = ++pass;
    const worker = await (await getTypeScriptWorker())(...[...models.values()].map((model) => model.uri));
    for (const path of stale) {
      const model = models.get(path);
      if (mine !== pass) return; // a newer pass has started
      if (!model || model.isDisposed()) continue;
      const uri = model.uri.toString();
      const diagnostics = [...(await worker.getSyntacticDiagnostics(uri)), ...(semantic ? await worker.getSemanticDiagnostics(uri) : [])];
      if (mine !== pass || model.isDisposed()) return;
      monaco.editor.setModelMarkers(model, markerOwner, diagnostics.map((diagnostic) => toMarker(model, diagnostic)));
      stale.delete(path);
    }
    onBusy(false);
  };
  const run = () =>
    check().catch((error: unknown) => {
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
    edited(path) {
      onBusy(true);
      if (!ready) return; // the first pass, still to come, checks every file as it is then
      edits.add(path);
      pass++; // whatever pass runs is out of date
      clearTimeout(timer);
      timer = setTimeout(() => {
        const texts = Object.fromEntries([...models].map(([file, model]) => [file, model.getValue()]));
        // The edited files first: their errors are the ones the reader is waiting for.
        stale = new Set([...[...edits].flatMap((edited) => affectedBy(edited, texts)), ...stale]);
        edits.clear();
        void run();
      }, 400);
    },
  };
}
