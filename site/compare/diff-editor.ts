// The side-by-side view of one file: Monaco's diff editor over both stages' versions. Loaded
// only when a reader asks for it; the files come from the same /runtime/files/<stage>.json
// the workbench uses, so the compare page carries no second copy of them.
import '../workbench/client/monaco-env.ts';
import * as monaco from 'monaco-editor/editor/editor.api.js';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register.js';
import 'monaco-editor/languages/definitions/typescript/register.js';
import 'monaco-editor/languages/definitions/sql/register.js';
import 'monaco-editor/languages/definitions/markdown/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import { languageOf } from '../workbench/client/editor.ts';
import { followTheme } from '../workbench/client/monaco-theme.ts';

// Both sides are read-only and out of their project, so type errors would only be noise.
typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: true });
followTheme();

const fileSets = new Map<string, Promise<Record<string, string>>>();
function filesOf(stage: string): Promise<Record<string, string>> {
  let files = fileSets.get(stage);
  if (!files) {
    files = fetch(`/runtime/files/${stage}.json`).then(async (response) => {
      if (!response.ok) throw new Error(`could not load the files of ${stage} (HTTP ${response.status})`);
      return ((await response.json()) as { files: Record<string, string> }).files;
    });
    fileSets.set(stage, files);
  }
  return files;
}

export async function showDiff(host: HTMLElement, from: string, to: string, path: string): Promise<void> {
  const [before, after] = await Promise.all([filesOf(from), filesOf(to)]);
  const language = languageOf(path);
  const editor = monaco.editor.createDiffEditor(host, {
    readOnly: true,
    originalEditable: false,
    automaticLayout: true,
    renderSideBySide: host.clientWidth > 700,
    useInlineViewWhenSpaceIsLimited: true,
    scrollBeyondLastLine: false,
    minimap: { enabled: false },
    fontSize: 13,
    ariaLabel: `Changes to ${path} from ${from} to ${to}`,
  });
  editor.setModel({
    original: monaco.editor.createModel(before[path] ?? '', language),
    modified: monaco.editor.createModel(after[path] ?? '', language),
  });
}
